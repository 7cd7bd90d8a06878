import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import * as mantun from '../helpers/mantun.js';
import * as sop from '../helpers/sop.js';
import * as usercenter from '../helpers/usercenter.js';
import * as zjrc from '../helpers/zjrc.js';
import { BROWSER_TIMEOUT, openBrowser, openDashboard, rows, screenshot, waitForRows, type Browser } from './browser.js';

let t: TestSandbox;
let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
  t = await startTestSandbox();
}, BROWSER_TIMEOUT);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the whole page under traffic from every platform', () => {
  test(
    'requests, tokens and the scenario of all four platforms side by side (the README screenshot)',
    async () => {
      expect((await t.http.put('/__sandbox/scenario').send({ name: 'grace-10min' })).status).toBe(200);
      const fault = {
        id: 'usercenter-token-503',
        platform: 'usercenter',
        tag: 'token',
        nth: 2,
        respond: { status: 503, body: 'Service Temporarily Unavailable' },
      };
      expect((await t.http.post('/__sandbox/faults').send(fault)).status).toBe(201);
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);

      const m = await mantun.getTokens(t.http);
      await t.http
        .post('/invoke/router.as')
        .type('form')
        .send(mantun.form(mantun.routerParams(m.accessToken, 'GET_PROJECTS', t.sb.clock.now())));
      const refreshed = await t.http
        .post('/oauth/refresh.as')
        .type('form')
        .send(mantun.form(mantun.refreshParams(m.refreshToken)));
      expect(refreshed.body.success).toBe(true);
      await usercenter.login(t.http);
      const refused = await t.http.post('/oauth/token').send(usercenter.passwordBody());
      expect([refused.status, refused.text]).toEqual([503, 'Service Temporarily Unavailable']);
      await sop.getTokens(t.http, t.sb.clock.now());
      await zjrc.getTokens(t.http, () => t.sb.clock.now());

      const journal = (await t.http.get('/__sandbox/requests')).body.requests as { platform: string; endpoint: string; status: number; rule?: string }[];
      const shown = await waitForRows(page, '#req-table', (r) => r.length === journal.length, `all ${journal.length} requests`);
      expect(shown.map((r) => [r[1], r[3], r[5]])).toEqual(journal.map((e) => [e.platform, String(e.status), e.rule ?? '']));
      expect(new Set(shown.map((r) => r[1]))).toEqual(new Set(['mantun', 'usercenter', 'sop', 'zjrc']));
      expect(shown.find((r) => r[3] === '503')?.[5]).toBe('usercenter-token-503');

      const server = (await t.http.get('/__sandbox/tokens')).body.tokens as { value: string; state: string }[];
      const tokens = await waitForRows(page, '#tok-table', (r) => r.length === server.length, `all ${server.length} tokens`);
      const stateOf = new Map(server.map((x) => [x.value, x.state]));
      expect(tokens.map((r) => r[4])).toEqual(tokens.map((r) => stateOf.get(r[2])));
      expect(new Set(tokens.map((r) => r[4]))).toEqual(new Set(['active', 'grace', 'rotated', 'used']));

      await page.getByRole('button', { name: 'POST refresh.as' }).click();
      await page.locator('#detail-body', { hasText: 'POST /oauth/refresh.as' }).waitFor();
      await page.locator('#scenario-active .faults li', { hasText: 'fired 1' }).waitFor({ state: 'attached' });
      // Mantun's tokens show every state a refresh leaves behind: used code, rotated refresh, access in grace, new pair.
      await page.selectOption('#tok-platform', 'mantun');
      const mantunRows = await waitForRows(page, '#tok-table', (r) => r.length > 0 && r.every((c) => c[0] === 'mantun'), 'only Mantun tokens');
      expect(await page.locator('#tokens-count').textContent()).toBe(`(5 of ${server.length})`);
      expect(mantunRows.map((r) => [r[1], r[4]])).toEqual([
        ['refresh', 'active'],
        ['access', 'active'],
        ['refresh', 'rotated'],
        ['access', 'grace'],
        ['code', 'used'],
      ]);
      // Tall enough for requests, the open request and the tokens in one picture.
      await page.setViewportSize({ width: 1440, height: 1130 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'dashboard');
      await screenshot(page, 'dashboard-full', true);
      expect(await rows(page, '#req-table')).toHaveLength(journal.length);
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );
});
