import type { TestSandbox } from '../helpers/sandbox.js';
import { APP, form } from '../helpers/mantun.js';
import { BROWSER_TIMEOUT, openDashboard, rows, screenshot, waitForRows, type Browser, useDashboardSuite } from './browser.js';

let t: TestSandbox;
let browser: Browser;
useDashboardSuite((sandbox, b) => {
  t = sandbox;
  browser = b;
});

const TOKEN = '<img src=x onerror="window.__xss=\'token\'">';
const PARAM = '<img src=x onerror="window.__xss=\'param\'">';
const SUBJECT = '<b onmouseover="window.__xss=\'subject\'">boss</b>';
const DESCRIPTION = '<script>window.__xss="description"</script>';

/** Elements a page would only have if data had been parsed as markup (the page itself uses none of them). */
const injected = () => document.querySelectorAll('img, b, script:not([src]), iframe, svg').length;

describe('every value the page shows is text', () => {
  test(
    'a token, a request parameter, a subject and a scenario description carrying markup are shown as written and never run',
    async () => {
      const seeded = await t.http.put('/__sandbox/scenario').send({
        name: 'markup',
        description: DESCRIPTION,
        state: { tokens: [{ platform: 'mantun', kind: 'access', value: TOKEN, appId: APP.appKey, subject: SUBJECT }] },
      });
      expect(seeded.status).toBe(200);
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);

      const login = await t.http
        .post('/oauth/authverify2.as')
        .type('form')
        .send(form({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: PARAM, passwd: 'x' }));
      expect(login.status).toBe(200);
      await waitForRows(page, '#req-table', (r) => r.length === 1, 'the login');
      await page.getByRole('button', { name: 'POST authverify2.as' }).click();
      await page.locator('#detail-body table.params').first().waitFor();

      const tokens = await rows(page, '#tok-table');
      expect(tokens.map((r) => [r[2], r[3], r[4]])).toEqual([[TOKEN, SUBJECT, 'active']]);
      const uname = await page.$$eval(
        '#detail-body table.params tr',
        (trs) => trs.find((tr) => tr.querySelector('th')?.textContent === 'uname')?.querySelector('td')?.textContent,
      );
      expect(uname).toBe(PARAM);
      expect(await page.locator('#scenario-active li').textContent()).toBe(`markup — ${DESCRIPTION}`);
      await page.getByText(SUBJECT).hover();

      expect(await page.evaluate(injected)).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
      await screenshot(page, 'escaping');

      // The value reaches the expire route intact through the URL.
      await page.getByRole('button', { name: `Expire mantun access ${TOKEN.slice(0, 8)}` }).click();
      await waitForRows(page, '#tok-table', (r) => r[0][4] === 'expired', 'the markup token expiring');
      expect((await t.http.get('/__sandbox/tokens')).body.tokens.map((x: { value: string; state: string }) => [x.value, x.state])).toEqual([
        [TOKEN, 'expired'],
      ]);

      // Its story: the value, the subject and the step texts that quote them are text too.
      await page.getByRole('button', { name: `Story of mantun access ${TOKEN.slice(0, 8)}` }).click();
      await page.locator('#story-body ol.timeline > li').nth(1).waitFor();
      expect(await page.$$eval('#story-body .story-members code', (c) => c.map((x) => x.getAttribute('title')))).toEqual([TOKEN]);
      expect(
        await page.$$eval('#story-body ol.timeline > li', (lis) =>
          lis.map((li) => [li.querySelector('.event')?.textContent, li.querySelector('.step-text')?.textContent]),
        ),
      ).toEqual([
        ['issued', `access issued for ${SUBJECT} (lifetime 1h); no answer in the journal carried it`],
        ['expired', 'ended before its lifetime ran out (Expire, or a scenario state)'],
      ]);
      expect(await page.evaluate(injected)).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );
});
