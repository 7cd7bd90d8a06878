import type { TestSandbox } from '../helpers/sandbox.js';
import * as sop from '../helpers/sop.js';
import { BROWSER_TIMEOUT, openDashboard, screenshot, waitForRows, type Browser, useDashboardSuite } from './browser.js';

/**
 * Gateway calls read by their business method, and a refusal the sandbox can explain (a timestamp hours off)
 * says why on the page, with the journal's own words.
 */

let t: TestSandbox;
let browser: Browser;
useDashboardSuite((sandbox, b) => {
  t = sandbox;
  browser = b;
});

describe('the Requests panel and the opened request', () => {
  test(
    'SOP calls show their business method; a timestamp 8 h behind shows the note that says why and how to fix it',
    async () => {
      const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      await sop.getTokens(t.http, t.sb.clock.now());
      // A client in UTC stamping its own local time: 8 hours behind the platform's.
      const late = await sop.postGateway(t.http, sop.gatewayParams('alipay.story.get', t.sb.clock.now() - 8 * 3_600_000, sop.tokenBiz({ id: '1' })));
      expect(late.body.alipay_story_get_response.sub_code).toBe('isv.invalid-timestamp');
      const [entry] = (await t.http.get('/__sandbox/requests').query({ limit: 1 })).body.requests as { note: string; apiMethod: string }[];
      expect(entry?.apiMethod).toBe('alipay.story.get');
      expect(entry?.note).toMatch(/^timestamp 8 h behind the platform time .* \(Asia\/Shanghai, UTC\+8\); it must be at most 300 s old\./);

      const shown = await waitForRows(page, '#req-table', (r) => r.length === 3, 'three requests');
      expect(shown.map((r) => [r[1], r[2], r[3]])).toEqual([
        ['sop', 'POST gateway · alipay.story.get note', '200'],
        ['sop', 'POST gateway · open.auth.token.app', '200'],
        ['sop', 'POST authorize', '302'],
      ]);
      expect(await page.locator('#req-table .note-flag').getAttribute('title')).toBe(entry?.note);

      await page.getByRole('button', { name: 'POST gateway · alipay.story.get' }).click();
      const note = page.getByRole('note');
      await note.waitFor();
      expect(await note.textContent()).toBe(`Why: ${entry?.note}`);
      const facts = await page.$$eval('#detail-body .facts div', (divs) =>
        divs.map((d) => [d.querySelector('dt')?.textContent, d.querySelector('dd')?.textContent]),
      );
      expect(facts.slice(0, 3)).toEqual([
        ['Platform', 'sop'],
        ['Endpoint', 'gateway'],
        ['Business method', 'alipay.story.get'],
      ]);
      await screenshot(page, 'request-note');

      // A request the sandbox has nothing to add about shows no note.
      await page.getByRole('button', { name: 'POST gateway · open.auth.token.app' }).click();
      await page.locator('#detail-body dd', { hasText: 'open.auth.token.app' }).waitFor();
      expect(await page.getByRole('note').count()).toBe(0);
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );
});
