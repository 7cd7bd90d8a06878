import type { TestSandbox } from '../helpers/sandbox.js';
import { APP, form, getCode, routerParams, tokenParams } from '../helpers/mantun.js';
import { BROWSER_TIMEOUT, openDashboard, rows, screenshot, waitForRows, type Browser, useDashboardSuite } from './browser.js';

let t: TestSandbox;
let browser: Browser;
useDashboardSuite((sandbox, b) => {
  t = sandbox;
  browser = b;
});

/** Time, platform, endpoint, status, latency, rule — without the time and latency, which vary. */
const shape = (r: string[]) => [r[1], r[2], r[3], r[5]];

describe('the requests panel', () => {
  test(
    'a Mantun login, token exchange and API call over HTTP appear live, newest first, and open to their params and body',
    async () => {
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      expect(await page.locator('#req-empty').isVisible()).toBe(true);

      const code = await getCode(t.http);
      const token = await t.http
        .post('/oauth/token.as')
        .type('form')
        .send(form(tokenParams(code)));
      expect(token.status).toBe(200);
      const access = token.body.data.accessToken as string;
      const api = await t.http
        .post('/invoke/router.as')
        .type('form')
        .send(form(routerParams(access, 'GET_PROJECTS', t.sb.clock.now())));
      expect(api.status).toBe(200);

      const shown = await waitForRows(page, '#req-table', (r) => r.length === 3, 'three requests');
      expect(shown.map(shape)).toEqual([
        ['mantun', 'POST router.as · GET_PROJECTS', '200', ''],
        ['mantun', 'POST token.as', '200', ''],
        ['mantun', 'POST authverify2.as', '200', ''],
      ]);
      for (const r of shown) {
        expect(r[0]).toMatch(/^\d\d:\d\d:\d\d$/);
        expect(r[4]).toMatch(/^\d+(\.\d)? ms$/);
      }
      expect(await page.locator('#requests-count').textContent()).toBe('(3)');

      await page.getByRole('button', { name: 'POST token.as' }).click();
      const detail = page.locator('#detail-body');
      await detail.getByText('POST /oauth/token.as').waitFor();
      // The request's parameters; its recorded headers follow in a table of their own.
      const params = await page.$$eval('#detail-body table.params', (tables) =>
        tables
          .filter((table) => table.querySelector('caption')?.textContent !== 'Headers')
          .flatMap((table) => [...table.querySelectorAll('tr')].map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent])),
      );
      expect(params).toEqual([
        ['client_id', APP.appKey],
        ['client_secret', '***'],
        ['grant_type', 'authorization_code'],
        ['redirect_uri', APP.redirectUri],
        ['code', code],
      ]);
      const body = JSON.parse((await detail.locator('pre').textContent()) as string);
      expect(body).toEqual(token.body);
      expect(await page.getByRole('button', { name: 'POST token.as' }).getAttribute('aria-pressed')).toBe('true');
      await screenshot(page, 'live-requests');
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    'filters by platform and by status class or exact status',
    async () => {
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      await getCode(t.http);
      // Mantun answers a JSON body with its text/plain 400; UserCenter reports an unknown token in a 200.
      expect((await t.http.post('/oauth/token.as').send({ code: 'x' })).status).toBe(400);
      expect((await t.http.post('/user/getUserByToken').send({ accessToken: 'nope' })).status).toBe(200);
      await waitForRows(page, '#req-table', (r) => r.length === 3, 'three requests');

      await page.selectOption('#req-platform', 'usercenter');
      expect((await rows(page, '#req-table')).map(shape)).toEqual([['usercenter', 'POST getUserByToken', '200', '']]);
      expect(await page.locator('#requests-count').textContent()).toBe('(1 of 3)');

      await page.selectOption('#req-platform', '');
      await page.selectOption('#req-status', '4xx');
      expect((await rows(page, '#req-table')).map(shape)).toEqual([['mantun', 'POST token.as', '400', '']]);
      await page.selectOption('#req-status', '200');
      expect((await rows(page, '#req-table')).map((r) => r[2])).toEqual(['POST getUserByToken', 'POST authverify2.as']);
      // Exact codes are offered as they are seen, in order, after the classes.
      expect(await page.$$eval('#req-status option', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
        '',
        '2xx',
        '3xx',
        '4xx',
        '5xx',
        '200',
        '400',
      ]);

      await page.selectOption('#req-platform', 'mantun');
      await page.selectOption('#req-status', '2xx');
      expect((await rows(page, '#req-table')).map(shape)).toEqual([['mantun', 'POST authverify2.as', '200', '']]);
      await page.selectOption('#req-platform', 'sop');
      expect(await rows(page, '#req-table')).toEqual([]);
      expect(await page.locator('#req-empty').textContent()).toBe('No request matches the filters.');
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    'requests made before the page opened are listed, and Clear journal empties it on the server too',
    async () => {
      await getCode(t.http);
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      expect((await rows(page, '#req-table')).map(shape)).toEqual([['mantun', 'POST authverify2.as', '200', '']]);
      await page.getByRole('button', { name: 'Clear journal' }).click();
      await waitForRows(page, '#req-table', (r) => r.length === 0, 'an empty journal');
      expect((await t.http.get('/__sandbox/requests')).body).toEqual({ count: 0, requests: [] });
      await getCode(t.http);
      await waitForRows(page, '#req-table', (r) => r.length === 1, 'the next request');
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );
});
