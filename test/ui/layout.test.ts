import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { mantunSign } from '../../src/index.js';
import { startTestSandbox, testFixture, type TestSandbox } from '../helpers/sandbox.js';
import * as mantun from '../helpers/mantun.js';
import * as sop from '../helpers/sop.js';
import * as usercenter from '../helpers/usercenter.js';
import * as zjrc from '../helpers/zjrc.js';
import { BROWSER_TIMEOUT, openDashboard, screenshot, waitForRows, type Browser, useDashboardSuite } from './browser.js';

/**
 * The page at the widths people use: a 1280 px laptop and a 390 px phone. Element boxes are measured in
 * the real browser; nothing here looks at a screenshot (they are written for a person, as elsewhere).
 */

let t: TestSandbox;
let browser: Browser;
// Mantun's router.as window is on, for the clock test's refusal of the browser's local time.
useDashboardSuite(
  (sandbox, b) => {
    t = sandbox;
    browser = b;
  },
  { fixtures: [testFixture('mantun-timestamp-window.json')] },
);

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * Codes and tokens of all four platforms in every state a flow leaves (used, rotated, active, expired), with
 * the longest texts the table shows: UserCenter's 36-character UUIDs, "usercenter", "refresh", and
 * "expired 1h 08m ago" in Ends once the clock has moved on by an hour and a bit.
 */
async function everyPlatformsTokens(): Promise<number> {
  expect((await t.http.post('/__sandbox/clock').send({ rate: 0 })).status).toBe(200);
  const m = await mantun.getTokens(t.http);
  const refreshed = await t.http
    .post('/oauth/refresh.as')
    .type('form')
    .send(mantun.form(mantun.refreshParams(m.refreshToken)));
  expect(refreshed.body.success).toBe(true);
  await usercenter.login(t.http);
  await sop.getTokens(t.http, t.sb.clock.now());
  await zjrc.getTokens(t.http, () => t.sb.clock.now());
  expect((await t.http.post('/__sandbox/clock').send({ advance: '2h8m41s' })).status).toBe(200);
  return (await t.http.get('/__sandbox/tokens')).body.count as number;
}

interface Box {
  what: string;
  left: number;
  right: number;
  width: number;
}

/**
 * Every part of the tokens table a person needs (each row's state, end and both buttons), the visible
 * part of the table's scroll box, and whether that box or the page can scroll sideways.
 */
function measureTokens(page: Page) {
  return page.evaluate(() => {
    const wrap = document.getElementById('tokens-wrap') as HTMLElement;
    const card = document.getElementById('tokens') as HTMLElement;
    const w = wrap.getBoundingClientRect();
    const box = (what: string, el: Element | null) => {
      const r = (el as Element).getBoundingClientRect();
      return { what, left: r.left, right: r.right, width: r.width };
    };
    const parts = [...document.querySelectorAll('#tok-table tbody tr')].flatMap((tr, i) => [
      box(`row ${i} state`, tr.querySelector('.badge')),
      box(`row ${i} ends`, tr.querySelector('td.ends')),
      box(`row ${i} Expire`, tr.querySelector('td.actions button:not(.danger)')),
      box(`row ${i} Revoke`, tr.querySelector('td.actions button.danger')),
    ]);
    return {
      page: { scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth },
      wrap: {
        scrollWidth: wrap.scrollWidth,
        clientWidth: wrap.clientWidth,
        left: w.left + wrap.clientLeft,
        right: w.left + wrap.clientLeft + wrap.clientWidth,
      },
      card: { left: card.getBoundingClientRect().left, right: card.getBoundingClientRect().right },
      parts,
    };
  });
}

/** The parts that do not lie whole inside [left, right] (a rounding half-pixel allowed), or that are not drawn. */
const outside = (parts: Box[], left: number, right: number) =>
  parts.filter((p) => p.width === 0 || p.left < left - 0.5 || p.right > right + 0.5).map((p) => `${p.what} [${p.left}, ${p.right}]`);

describe('the page at 1280 px and at 390 px', () => {
  test(
    '1280 px: the tokens table of all four platforms fits its card; state, Ends, Expire and Revoke of every row are inside it',
    async () => {
      const count = await everyPlatformsTokens();
      expect(count).toBe(13);
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`, { viewport: LAPTOP });
      const shown = await waitForRows(page, '#tok-table', (r) => r.length === count, `all ${count} tokens`);
      expect(shown.find((r) => r[0] === 'mantun' && r[1] === 'access')?.[5]).toBe('expired 1h 08m ago');
      const m = await measureTokens(page);
      await screenshot(page, 'layout-1280');
      // Nothing to scroll sideways, in the table or on the page.
      expect([m.wrap.scrollWidth, m.page.scrollWidth]).toEqual([m.wrap.clientWidth, LAPTOP.width]);
      expect(m.parts).toHaveLength(4 * count);
      expect(outside(m.parts, m.wrap.left, m.wrap.right)).toEqual([]);
      expect(m.card.left <= m.wrap.left && m.wrap.right <= m.card.right).toBe(true);
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    '390 px: no sideways scrolling; each token shows its state, end and both buttons on screen, and the buttons work',
    async () => {
      const count = await everyPlatformsTokens();
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`, { viewport: PHONE });
      const shown = await waitForRows(page, '#tok-table', (r) => r.length === count, `all ${count} tokens`);
      const m = await measureTokens(page);
      await page.locator('#tokens').scrollIntoViewIfNeeded();
      await screenshot(page, 'layout-390-tokens');
      expect([m.page.scrollWidth, m.wrap.scrollWidth]).toEqual([PHONE.width, m.wrap.clientWidth]);
      expect(outside(m.parts, m.wrap.left, m.wrap.right)).toEqual([]);
      expect(outside(m.parts, 0, PHONE.width)).toEqual([]);
      // Reachable means usable: Revoke on the phone layout ends the Mantun refresh token on the server.
      const refresh = shown.find((r) => r[0] === 'mantun' && r[1] === 'refresh' && r[4] === 'active')?.[2] as string;
      await page.getByRole('button', { name: `Revoke mantun refresh ${refresh.slice(0, 8)}` }).click();
      await waitForRows(page, '#tok-table', (r) => r.find((c) => c[2] === refresh)?.[4] === 'revoked', 'the refresh token being revoked');
      const refused = await t.http
        .post('/oauth/refresh.as')
        .type('form')
        .send(mantun.form(mantun.refreshParams(refresh)));
      expect(refused.body).toEqual({ success: false, code: '10023', message: 'refresh_token has been revoked' });
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    '390 px: each request is a card whose latency and scenario rule are on screen, with no sideways scrolling',
    async () => {
      const fault = { id: 'mantun-router-500', platform: 'mantun', endpoint: 'router.as', nth: 1, respond: { status: 500 } };
      expect((await t.http.post('/__sandbox/faults').send(fault)).status).toBe(201);
      const { accessToken } = await mantun.getTokens(t.http);
      const failed = await t.http
        .post('/invoke/router.as')
        .type('form')
        .send(mantun.form(mantun.routerParams(accessToken, 'GET_PROJECTS', t.sb.clock.now())));
      expect(failed.status).toBe(500);
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`, { viewport: PHONE });
      await waitForRows(page, '#req-table', (r) => r.length === 3, 'all three requests');
      await page.locator('#requests').scrollIntoViewIfNeeded();
      const cards = await page.$$eval('#req-table tbody tr', (trs) =>
        trs.map((tr) => {
          const box = (selector: string) => {
            const el = tr.querySelector(selector) as HTMLElement;
            const r = el.getBoundingClientRect();
            return { text: (el.textContent ?? '').trim(), left: Math.round(r.left), right: Math.round(r.right), width: r.width, visible: el.checkVisibility() };
          };
          return { latency: box('td.latency'), rule: box('td.rule'), status: box('td.status-cell') };
        }),
      );
      const wrap = await page.$eval('#requests-wrap', (w) => ({
        scrollWidth: w.scrollWidth,
        clientWidth: w.clientWidth,
        right: w.getBoundingClientRect().right,
      }));
      await screenshot(page, 'layout-390-requests');
      // Newest first: the router.as call the rule answered with 500, then the token exchange and the code.
      expect(cards.map((c) => [c.status.text, c.rule.text])).toEqual([
        ['500', 'mantun-router-500'],
        ['200', ''],
        ['200', ''],
      ]);
      for (const c of cards) {
        expect(c.latency.text).toMatch(/^\d+(\.\d)? ms$/);
        // Latency is drawn, inside the phone's width and the panel.
        expect([c.latency.visible, c.latency.width > 0, c.latency.left >= 0, c.latency.right <= Math.min(PHONE.width, wrap.right)]).toEqual([
          true,
          true,
          true,
          true,
        ]);
      }
      const rule = cards[0].rule;
      expect([rule.visible, rule.width > 0, rule.left >= 0, rule.right <= Math.min(PHONE.width, wrap.right)]).toEqual([true, true, true, true]);
      // The card names what the rule is, since the column header is not shown on a card.
      expect(await page.$eval('#req-table tbody tr td.rule', (td) => getComputedStyle(td, '::before').content)).toBe('"rule "');
      expect([wrap.scrollWidth, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([wrap.clientWidth, PHONE.width]);
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test.each([
    ['1280', LAPTOP],
    ['390', PHONE],
  ])(
    '%s px: no code, token or user in the tokens table is broken across lines',
    async (_name, viewport) => {
      const count = await everyPlatformsTokens();
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`, { viewport });
      const server = (await t.http.get('/__sandbox/tokens').query({ order: 'newest' })).body.tokens as { value: string; subject: string }[];
      await waitForRows(page, '#tok-table', (r) => r.length === count, `all ${count} tokens`);
      await page.locator('#tokens').scrollIntoViewIfNeeded();
      // One rendered line is one distinct top among the boxes of the text's fragments.
      const lines = await page.$$eval('#tok-table tbody tr', (trs) =>
        trs.map((tr) => {
          const count = (el: Element) => {
            const range = document.createRange();
            range.selectNodeContents(el);
            return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
          };
          const value = tr.querySelector('td.value code') as Element;
          const subject = tr.querySelector('td.subject') as Element;
          return { value: value.textContent, valueLines: count(value), subject: subject.textContent, subjectLines: count(subject) };
        }),
      );
      expect(lines).toEqual(server.map((x) => ({ value: x.value, valueLines: 1, subject: x.subject, subjectLines: 1 })));
      expect(lines.some((l) => l.subject === '13800000000')).toBe(true);
      // Whole values and no sideways scrolling: state, Ends and both buttons of each row stay in the card.
      const m = await measureTokens(page);
      expect([m.page.scrollWidth, m.wrap.scrollWidth]).toEqual([viewport.width, m.wrap.clientWidth]);
      expect(outside(m.parts, m.wrap.left, m.wrap.right)).toEqual([]);
      await screenshot(page, `layout-${viewport.width}-token-values`);
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    '390 px: a long value in a JSON response wraps under its own key, never back at column 0',
    async () => {
      await sop.getTokens(t.http, t.sb.clock.now());
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`, { viewport: PHONE });
      await waitForRows(page, '#req-table', (r) => r.length === 2, 'both requests');
      // The gateway call (its label names the endpoint or the business method): the SOP row answered 200.
      await page.locator('#req-table tbody tr', { hasText: 'sop' }).filter({ hasText: '200' }).getByRole('button').click();
      const body = page.getByLabel('Response body');
      await body.waitFor();
      // The text is still exactly the JSON the sandbox answered, newlines included (copy and paste it).
      const journal = (await t.http.get('/__sandbox/requests').query({ limit: 1 })).body.requests[0];
      expect(await body.textContent()).toBe(JSON.stringify(journal.response.body, null, 2));
      const line = await page.evaluate(() => {
        const pre = document.querySelector('#detail-body pre.code') as HTMLElement;
        const span = [...pre.querySelectorAll('.json-line')].find((s) => s.textContent?.includes('"request_id"')) as HTMLElement;
        const text = span.firstChild as Text;
        const range = (from: number, to: number) => {
          const r = document.createRange();
          r.setStart(text, from);
          r.setEnd(text, to);
          return r;
        };
        const key = text.data.indexOf('"request_id"');
        const tops = new Map<number, number>();
        for (let i = 0; i < text.data.trimEnd().length; i++) {
          const r = range(i, i + 1).getBoundingClientRect();
          const top = Math.round(r.top);
          if (!tops.has(top)) tops.set(top, r.left);
        }
        return {
          text: text.data,
          contentLeft: pre.getBoundingClientRect().left + pre.clientLeft + parseFloat(getComputedStyle(pre).paddingLeft),
          keyLeft: range(key, key + 1).getBoundingClientRect().left,
          ch: range(key, key + 1).getBoundingClientRect().width,
          lineStarts: [...tops.values()],
        };
      });
      expect(line.text).toMatch(/^ {4}"request_id": "[0-9a-f]{32}",?\n$/);
      // It does wrap at this width, and every continuation starts two columns right of the key.
      expect(line.lineStarts.length).toBeGreaterThan(1);
      expect(line.lineStarts[0]).toBeCloseTo(line.contentLeft, 0);
      expect(line.keyLeft).toBeCloseTo(line.contentLeft + 4 * line.ch, 0);
      for (const start of line.lineStarts.slice(1)) expect(start).toBeCloseTo(line.keyLeft + 2 * line.ch, 0);
      await screenshot(page, 'layout-390-json');
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );
});

describe('the clock', () => {
  const START = '2026-05-01T02:00:00Z';

  test.each([
    ['UTC', '2026-05-01 02:00:00', 'UTC'],
    ['Europe/Berlin', '2026-05-01 04:00:00', 'UTC+2 (Europe/Berlin)'],
    ['Australia/Adelaide', '2026-05-01 11:30:00', 'UTC+9:30 (Australia/Adelaide)'],
    ['America/New_York', '2026-04-30 22:00:00', 'UTC-4 (America/New_York)'],
  ])(
    'in a browser on %s: the sandbox time names its zone, and the platform time is the one signed timestamps carry',
    async (zone, local, zoneLabel) => {
      expect((await t.http.post('/__sandbox/clock').send({ rate: 0 })).status).toBe(200);
      expect((await t.http.post('/__sandbox/clock').send({ set: START })).status).toBe(200);
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`, { viewport: LAPTOP, timezoneId: zone });
      const text = (selector: string) => page.locator(selector).textContent();
      expect([await text('#clock-now'), await text('#clock-zone')]).toEqual([local, zoneLabel]);
      expect([await text('#platform-now'), await text('#platform-zone'), await text('#platform-info')]).toEqual([
        '2026-05-01 10:00:00',
        'UTC+8',
        'in signed timestamps (Asia/Shanghai)',
      ]);
      expect(await page.locator('#platform-now').getAttribute('datetime')).toBe('2026-05-01T02:00:00.000Z');

      // The platform agrees: Mantun's router.as takes the platform time as shown, and refuses the browser's local
      // time (every zone here is hours away from UTC+8, far outside the 10-minute window).
      const { accessToken } = await mantun.getTokens(t.http);
      const call = (timestamp: string) => {
        const params: Record<string, string> = { client_id: mantun.APP.appKey, method: 'GET_PROJECTS', access_token: accessToken, timestamp };
        return t.http
          .post('/invoke/router.as')
          .type('form')
          .send(mantun.form({ ...params, sign: mantunSign(params, mantun.APP.appSecret) }));
      };
      const compact = (s: string | null) => (s as string).replace(/[- :]/g, '');
      expect((await call(compact(await text('#platform-now')))).body.success).toBe(true);
      expect((await call(compact(local))).body).toEqual({
        success: false,
        code: '10041',
        message: 'timestamp is missing, malformed (yyyyMMddHHmmss) or too far from server time',
      });
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );
});

describe('the platform time follows the fixtures', () => {
  test(
    'a fixture that puts Mantun, SOP and ZJRC in another zone moves the platform time the page shows, and the platform agrees',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sandbox-zone-'));
      const file = join(dir, 'zones.json');
      writeFileSync(file, JSON.stringify({ mantun: { utcOffsetMinutes: 0 }, sop: { utcOffsetMinutes: 0 }, zjrc: { utcOffsetMinutes: -300 } }));
      const other = await startTestSandbox({ fixtures: [file] });
      try {
        expect((await other.http.post('/__sandbox/clock').send({ rate: 0 })).status).toBe(200);
        expect((await other.http.post('/__sandbox/clock').send({ set: '2026-05-01T02:00:00Z' })).status).toBe(200);
        const platforms = (await other.http.get('/__sandbox/platforms')).body.platforms as { id: string; timestampUtcOffsetMinutes?: number }[];
        expect(platforms.map((p) => [p.id, p.timestampUtcOffsetMinutes])).toEqual([
          ['mantun', 0],
          ['usercenter', undefined],
          ['sop', 0],
          ['zjrc', -300],
        ]);
        const { page, errors } = await openDashboard(browser, `${other.sb.url}/__sandbox/`, { viewport: LAPTOP, timezoneId: 'Asia/Shanghai' });
        const text = (selector: string) => page.locator(selector).textContent();
        expect([await text('#platform-now'), await text('#platform-zone'), await text('#platform-info')]).toEqual([
          '2026-05-01 02:00:00',
          'UTC',
          'in mantun, sop signed timestamps (UTC); zjrc UTC-5',
        ]);
        const { accessToken } = await mantun.getTokens(other.http);
        const params: Record<string, string> = {
          client_id: mantun.APP.appKey,
          method: 'GET_PROJECTS',
          access_token: accessToken,
          timestamp: (await text('#platform-now'))!.replace(/[- :]/g, ''),
        };
        expect(
          (
            await other.http
              .post('/invoke/router.as')
              .type('form')
              .send(mantun.form({ ...params, sign: mantunSign(params, mantun.APP.appSecret) }))
          ).body.success,
        ).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await other.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    BROWSER_TIMEOUT,
  );
});
