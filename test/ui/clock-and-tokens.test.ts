import type { TestSandbox } from '../helpers/sandbox.js';
import { form, getTokens, refreshParams, routerParams } from '../helpers/mantun.js';
import { BROWSER_TIMEOUT, openDashboard, rows, screenshot, waitForRows, type Browser, useDashboardSuite } from './browser.js';

let t: TestSandbox;
let browser: Browser;
useDashboardSuite((sandbox, b) => {
  t = sandbox;
  browser = b;
});

const START = '2026-05-01T02:00:00Z';
/** A frozen clock makes every countdown exact. */
const freeze = async () => {
  // Stop it first: set-then-freeze in one call would let a millisecond pass in between under load.
  expect((await t.http.post('/__sandbox/clock').send({ rate: 0 })).status).toBe(200);
  expect((await t.http.post('/__sandbox/clock').send({ set: START })).status).toBe(200);
};
/** Kind, state and "Ends" of each row, newest first. */
const states = (r: string[][]) => r.map((c) => [c[1], c[4], c[5]]);
const apiCall = (access: string) =>
  t.http
    .post('/invoke/router.as')
    .type('form')
    .send(form(routerParams(access, 'GET_PROJECTS', t.sb.clock.now())));

describe('the clock and the tokens panel', () => {
  test(
    '+1 h turns the Mantun access token expired on the page, and the platform agrees',
    async () => {
      await freeze();
      const tokens = await getTokens(t.http);
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      expect(await page.locator('#clock-now').textContent()).toBe('2026-05-01 02:00:00');
      expect(await page.locator('#clock-info').textContent()).toMatch(/^frozen · .* behind host$/);
      const before = await rows(page, '#tok-table');
      expect(before.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6]])).toEqual([
        ['mantun', 'refresh', tokens.refreshToken, '13800000000', 'active', 'in 30d 0h', 'ExpireRevoke'],
        ['mantun', 'access', tokens.accessToken, '13800000000', 'active', 'in 1h 00m', 'ExpireRevoke'],
        ['mantun', 'code', expect.stringMatching(/^[0-9a-f]{32}$/), '13800000000', 'used', 'used 0s ago', 'ExpireRevoke'],
      ]);

      await page.getByRole('button', { name: '+1 h' }).click();
      await page.locator('#clock-now', { hasText: '2026-05-01 03:00:00' }).waitFor();
      const after = await waitForRows(page, '#tok-table', (r) => r[1][4] === 'expired', 'the access token turning expired');
      expect(states(after)).toEqual([
        ['refresh', 'active', 'in 29d 23h'],
        ['access', 'expired', 'expired 0s ago'],
        ['code', 'used', 'used 1h 00m ago'],
      ]);
      expect(await page.getByRole('button', { name: `Expire mantun access ${tokens.accessToken.slice(0, 8)}` }).isDisabled()).toBe(true);
      expect(await page.locator('#toast').textContent()).toBe('Clock advanced by 1 h.');
      await screenshot(page, 'token-expired');
      expect((await apiCall(tokens.accessToken)).body).toEqual({ success: false, code: '10031', message: 'access_token has expired' });
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    '+1 min, +1 day, a custom amount, a refused amount, Freeze and Host time',
    async () => {
      await freeze();
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      const shows = (text: string) => page.locator('#clock-now', { hasText: text }).waitFor();
      await page.getByRole('button', { name: '+1 min' }).click();
      await shows('2026-05-01 02:01:00');
      await page.getByRole('button', { name: '+1 day' }).click();
      await shows('2026-05-02 02:01:00');
      await page.getByLabel('Advance by').fill('2h30m');
      await page.getByLabel('Advance by').press('Enter');
      await shows('2026-05-02 04:31:00');
      expect((await t.http.get('/__sandbox/clock')).body.now).toBe('2026-05-02T04:31:00.000Z');

      await page.getByLabel('Advance by').fill('soon');
      await page.getByRole('button', { name: 'Advance', exact: true }).click();
      await page.locator('#error').waitFor();
      expect(await page.locator('#error').textContent()).toBe(
        '"advance" must be a duration such as "3601s", "30m", "1h", "1d", "1h30m" or a number of seconds, got "soon".',
      );

      const freezeButton = page.getByRole('button', { name: 'Freeze' });
      expect(await freezeButton.getAttribute('aria-pressed')).toBe('true');
      await freezeButton.click();
      await page.locator('#clock-freeze[aria-pressed="false"]').waitFor();
      expect((await t.http.get('/__sandbox/clock')).body.rate).toBe(1);
      await freezeButton.click();
      await page.locator('#clock-freeze[aria-pressed="true"]').waitFor();
      expect((await t.http.get('/__sandbox/clock')).body.rate).toBe(0);

      await page.getByRole('button', { name: 'Host time' }).click();
      await page.locator('#clock-info', { hasText: /^host time$/ }).waitFor();
      const clock = (await t.http.get('/__sandbox/clock')).body;
      expect([clock.rate, clock.offsetMs]).toEqual([1, 0]);
      // The browser logs the refused POST itself; nothing else went wrong.
      expect(errors).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    },
    BROWSER_TIMEOUT,
  );

  test(
    'Expire and Revoke buttons end one value on the server; the page follows and keeps keyboard focus sensible',
    async () => {
      const tokens = await getTokens(t.http);
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      await page.getByRole('button', { name: `Expire mantun access ${tokens.accessToken.slice(0, 8)}` }).click();
      await waitForRows(page, '#tok-table', (r) => r[1][4] === 'expired', 'the access token expiring');
      expect((await apiCall(tokens.accessToken)).body).toEqual({ success: false, code: '10031', message: 'access_token has expired' });

      // Revoke with the keyboard: focus the button, press Enter.
      const revoke = page.getByRole('button', { name: `Revoke mantun refresh ${tokens.refreshToken.slice(0, 8)}` });
      await revoke.focus();
      await page.keyboard.press('Enter');
      const after = await waitForRows(page, '#tok-table', (r) => r[0][4] === 'revoked', 'the refresh token being revoked');
      expect(states(after).slice(0, 2)).toEqual([
        ['refresh', 'revoked', expect.stringMatching(/^revoked \d+s ago$/)],
        ['access', 'expired', expect.stringMatching(/^expired \d+s ago$/)],
      ]);
      // Both of its buttons are now disabled, so focus goes to the table rather than being lost.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('tokens-wrap');
      const server = (await t.http.get('/__sandbox/tokens').query({ kind: 'refresh' })).body.tokens[0];
      expect([server.state, server.revokedReason]).toEqual(['revoked', 'admin']);
      const refused = await t.http
        .post('/oauth/refresh.as')
        .type('form')
        .send(form(refreshParams(tokens.refreshToken)));
      expect(refused.body).toEqual({ success: false, code: '10023', message: 'refresh_token has been revoked' });
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    'grace and rotated: under grace-10min a refresh leaves the old access token in grace with its own countdown',
    async () => {
      await freeze();
      expect((await t.http.put('/__sandbox/scenario').send({ name: 'grace-10min' })).status).toBe(200);
      await freeze();
      const first = await getTokens(t.http);
      const refreshed = await t.http
        .post('/oauth/refresh.as')
        .type('form')
        .send(form(refreshParams(first.refreshToken)));
      expect(refreshed.body.success).toBe(true);
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      const byValue = (r: string[][], value: string) => r.find((c) => c[2] === value)?.slice(4, 6);
      let shown = await rows(page, '#tok-table');
      expect(byValue(shown, first.accessToken)).toEqual(['grace', 'in 10m 00s']);
      expect(byValue(shown, first.refreshToken)).toEqual(['rotated', 'rotated 0s ago']);
      expect(byValue(shown, refreshed.body.data.accessToken)).toEqual(['active', 'in 1h 00m']);

      await page.selectOption('#tok-state', 'grace');
      const graceRows = await waitForRows(page, '#tok-table', (r) => r.length === 1, 'only the token in grace');
      expect(graceRows.map((r) => r[2])).toEqual([first.accessToken]);
      expect(await page.locator('#tokens-count').textContent()).toBe('(1 of 5)');
      await page.selectOption('#tok-state', '');
      await waitForRows(page, '#tok-table', (r) => r.length === 5, 'every token again');
      await page.getByLabel('Advance by').fill('10m');
      await page.getByLabel('Advance by').press('Enter');
      shown = await waitForRows(page, '#tok-table', (r) => byValue(r, first.accessToken)?.[0] === 'expired', 'the grace period ending');
      expect(byValue(shown, first.accessToken)).toEqual(['expired', 'expired 0s ago']);
      expect(byValue(shown, refreshed.body.data.accessToken)).toEqual(['active', 'in 50m 00s']);
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );
});
