import type { TestSandbox } from '../helpers/sandbox.js';
import * as mantun from '../helpers/mantun.js';
import { BROWSER_TIMEOUT, openDashboard, screenshot, waitForRows, type Browser, useDashboardSuite } from './browser.js';

/**
 * A token's story on the page: open a value in the tokens list and its family appears as one timeline on the
 * sandbox clock, each step with the request and the scenario rule behind it.
 */

let t: TestSandbox;
let browser: Browser;
useDashboardSuite((sandbox, b) => {
  t = sandbox;
  browser = b;
});

interface Step {
  event: string;
  kind: string;
  value: string;
  text: string;
  request?: { id: number; method: string; path: string; status: number };
  rule?: string;
}

const refresh = (token: string) =>
  t.http
    .post('/oauth/refresh.as')
    .type('form')
    .send(mantun.form(mantun.refreshParams(token)));

const short = (v: string) => `${v.slice(0, 8)}…`;

/** The timeline as a person reads it: per step its event, member, text, request link and rule. */
const timeline = (page: import('playwright-core').Page) =>
  page.$$eval('#story-body ol.timeline > li', (lis) =>
    lis.map((li) => [
      li.querySelector('.event')?.textContent,
      li.querySelector('.step-what .kind')?.textContent,
      li.querySelector('.step-what code')?.textContent,
      li.querySelector('.step-text')?.textContent,
      li.querySelector('.step-why button')?.textContent ?? null,
      li.querySelector('.rule-tag')?.textContent ?? null,
    ]),
  );

test(
  'the lost-refresh bug reads at a glance: the rotation the rule cut off, tokens nobody received, the retry that revoked the family; a step opens its request',
  async () => {
    expect((await t.http.put('/__sandbox/scenario').send({ scenarios: ['rotation-strict', 'refresh-response-lost'] })).status).toBe(200);
    expect((await t.http.post('/__sandbox/clock').send({ rate: 0 })).status).toBe(200);
    const m = await mantun.getTokens(t.http);
    await expect(refresh(m.refreshToken)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await refresh(m.refreshToken)).body.code).toBe('10021');

    const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
    await waitForRows(page, '#tok-table', (r) => r.length === 5 && r.every((c) => c[4] === 'revoked'), 'the five revoked members');
    await page.getByRole('button', { name: `Story of mantun access ${m.accessToken.slice(0, 8)}` }).click();
    await page.locator('#story-body ol.timeline > li').first().waitFor();

    // What the page shows is what the server's story says, step for step.
    const server = (await t.http.get(`/__sandbox/tokens/${m.accessToken}/story`)).body as { family: string; steps: Step[] };
    expect(await timeline(page)).toEqual(
      server.steps.map((s) => [
        s.event,
        s.kind,
        short(s.value),
        s.text,
        s.request ? `#${s.request.id} ${s.request.method} ${s.request.path} ${s.request.status}` : null,
        s.rule ? `rule ${s.rule}` : null,
      ]),
    );
    const shown = await timeline(page);
    expect(shown.map((s) => s[0])).toEqual([
      'issued',
      'used',
      'issued',
      'issued',
      'rotated',
      'issued',
      'issued',
      'revoked',
      'revoked',
      'revoked',
      'revoked',
      'revoked',
    ]);
    expect(shown[4]).toEqual([
      'rotated',
      'refresh',
      short(m.refreshToken),
      expect.stringMatching(/^refresh token spent and replaced by /),
      '#3 POST /oauth/refresh.as 0',
      'rule refresh-response-lost',
    ]);
    expect(shown[7][4]).toBe('#4 POST /oauth/refresh.as 200');
    expect(await page.locator('#story-body .story-head').textContent()).toBe(`mantun family ${server.family} · 5 members · 12 steps`);
    // Revocations are drawn red, issues green: measured on the markers, not read from class names.
    const markers = await page.$$eval('#story-body ol.timeline > li', (lis) => lis.map((li) => getComputedStyle(li, '::before').borderTopColor));
    expect(new Set(markers.slice(7)).size).toBe(1);
    expect(markers[7]).not.toBe(markers[0]);
    // The member asked about is marked among the others.
    expect(await page.$$eval('#story-body .story-members li.asked code', (c) => c.map((x) => x.getAttribute('title')))).toEqual([m.accessToken]);
    await screenshot(page, 'token-story');

    // A step's request opens in the Request panel.
    await page.getByRole('button', { name: 'Open request #3, POST /oauth/refresh.as' }).first().click();
    await page.locator('#detail-body', { hasText: 'POST /oauth/refresh.as' }).waitFor();
    const facts = await page.$$eval('#detail-body .facts div', (divs) =>
      divs.map((d) => [d.querySelector('dt')?.textContent, d.querySelector('dd')?.textContent]),
    );
    expect(facts).toContainEqual(['Scenario rule', 'refresh-response-lost']);
    expect(await page.locator('#detail-body .detail-line').textContent()).toBe('0 POST /oauth/refresh.as');
    expect(errors).toEqual([]);
  },
  BROWSER_TIMEOUT,
);

test(
  'at 390 px an open story follows the family live: a refresh made by the app adds its steps, with no reload and no sideways scrolling',
  async () => {
    expect((await t.http.put('/__sandbox/scenario').send({ name: 'grace-10min' })).status).toBe(200);
    const m = await mantun.getTokens(t.http);
    const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`, { viewport: { width: 390, height: 844 } });
    await waitForRows(page, '#tok-table', (r) => r.length === 3, 'the code and the pair');
    await page.getByRole('button', { name: `Story of mantun refresh ${m.refreshToken.slice(0, 8)}` }).click();
    await page.locator('#story-body ol.timeline > li').nth(3).waitFor();
    expect((await timeline(page)).map((s) => s[0])).toEqual(['issued', 'used', 'issued', 'issued']);

    const refreshed = await refresh(m.refreshToken);
    expect(refreshed.body.success).toBe(true);
    const deadline = Date.now() + 8000;
    let events: (string | null | undefined)[] = [];
    while (Date.now() < deadline) {
      events = (await timeline(page)).map((s) => s[0]);
      if (events.length === 8) break;
      await page.waitForTimeout(50);
    }
    expect(events).toEqual(['issued', 'used', 'issued', 'issued', 'rotated', 'issued', 'issued', 'grace']);
    const grace = (await timeline(page))[7];
    expect([grace[1], grace[2], grace[4]]).toEqual(['access', short(m.accessToken), '#3 POST /oauth/refresh.as 200']);

    await page.locator('#story').scrollIntoViewIfNeeded();
    const box = await page.$eval('#story', (s) => {
      const r = s.getBoundingClientRect();
      return { left: r.left, right: r.right, scroll: document.documentElement.scrollWidth };
    });
    expect([box.left >= 0, box.right <= 390, box.scroll]).toEqual([true, true, 390]);
    await screenshot(page, 'token-story-390');
    expect(errors).toEqual([]);
  },
  BROWSER_TIMEOUT,
);
