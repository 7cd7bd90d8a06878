import type { TestSandbox } from '../helpers/sandbox.js';
import * as mantun from '../helpers/mantun.js';
import { BROWSER_TIMEOUT, openDashboard, screenshot, waitForRows, type Browser, useDashboardSuite } from './browser.js';

/**
 * A request that matched no endpoint (a typo in the path, the wrong method) is what a wrong base path looks
 * like from the app: the page shows it apart, with the server's near-miss hint, and filters to it.
 *
 * This needs the server to journal the requests that match no endpoint (`matched: false` and `hint` on the entry, `?matched=false`).
 */

let t: TestSandbox;
let browser: Browser;
useDashboardSuite((sandbox, b) => {
  t = sandbox;
  browser = b;
});

interface Entry {
  id: number;
  matched: boolean;
  hint?: string;
  method: string;
  path: string;
  status: number;
  platform: string;
  endpoint: string;
  request: { headers?: Record<string, string>; rawQuery?: string; bodySize?: number };
}

test(
  'a misspelt token path and a GET where only POST is served stand out with their hints; the Unmatched filter shows only them',
  async () => {
    const { page, errors } = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
    const code = await mantun.getCode(t.http);
    // What Mantun's own client sends, to a path with one letter missing, and the right path with the wrong method.
    const typo = await t.http
      .post('/oauth/tokn.as?trace=1')
      .set('user-agent', 'okhttp/4.12.0')
      .type('form')
      .send(mantun.form(mantun.tokenParams(code)));
    expect(typo.status).toBe(404);
    const wrongMethod = await t.http.get('/oauth/token.as').query({ code });
    expect(wrongMethod.status).toBe(405);
    // Then the app gets the path right, and the code is still good.
    const fixed = await t.http
      .post('/oauth/token.as')
      .type('form')
      .send(mantun.form(mantun.tokenParams(code)));
    expect(fixed.body.success).toBe(true);

    // The journal as a client reads it: only the two, newest first, each with a hint naming the right path.
    const listed = (await t.http.get('/__sandbox/requests').query({ matched: 'false' })).body as { count: number; requests: Entry[] };
    expect(listed.requests.map((e) => [e.matched, e.method, e.path, e.status, e.endpoint])).toEqual([
      [false, 'GET', '/oauth/token.as', 405, ''],
      [false, 'POST', '/oauth/tokn.as', 404, ''],
    ]);
    for (const e of listed.requests) expect(e.hint).toContain('/oauth/token.as');
    const [get, post] = listed.requests;

    const shown = await waitForRows(page, '#req-table', (r) => r.length === 4, 'the code, the two misses and the exchange');
    // The path the app used (what is wrong with it) and the hint, in the row itself.
    expect(shown.map((r) => [r[2], r[3]])).toEqual([
      ['POST token.as', '200'],
      [`GET /oauth/token.as unmatched${get.hint}`, '405'],
      [`POST /oauth/tokn.as unmatched${post.hint}`, '404'],
      ['POST authverify2.as', '200'],
    ]);
    expect(await page.$$eval('#req-table tbody tr', (trs) => trs.map((tr) => tr.classList.contains('unmatched')))).toEqual([false, true, true, false]);
    // A red edge and a tinted row: measured, not only named.
    const style = await page.$eval('#req-table tbody tr.unmatched', (tr) => [getComputedStyle(tr).boxShadow, getComputedStyle(tr).backgroundColor]);
    expect(style[0]).toMatch(/inset/);
    expect(style[1]).not.toBe(await page.$eval('#req-table tbody tr:not(.unmatched)', (tr) => getComputedStyle(tr).backgroundColor));

    // The filter counts them and stands out once there is one; pressed, it leaves only them.
    const filter = page.getByRole('button', { name: /^Unmatched/ });
    expect([await filter.textContent(), await filter.getAttribute('class')]).toEqual(['Unmatched 2', 'unmatched-filter alert']);
    await filter.click();
    expect(await filter.getAttribute('aria-pressed')).toBe('true');
    const only = await waitForRows(page, '#req-table', (r) => r.length === 2, 'only the unmatched requests');
    expect(only.map((r) => r[2].split(' unmatched')[0])).toEqual(['GET /oauth/token.as', 'POST /oauth/tokn.as']);
    expect(await page.locator('#requests-count').textContent()).toBe('(2 of 4)');

    // Opened: the hint as a note, and what the journal recorded of the request (headers, raw query, body size).
    await page.getByRole('button', { name: 'POST /oauth/tokn.as' }).click();
    const note = page.locator('#detail-body .unmatched-note');
    await note.waitFor();
    expect(await note.textContent()).toBe(`No endpoint matched. ${post.hint}`);
    const facts = await page.$$eval('#detail-body .facts div', (divs) =>
      divs.map((d) => [d.querySelector('dt')?.textContent, d.querySelector('dd')?.textContent]),
    );
    expect(facts.slice(0, 2)).toEqual([
      ['Platform', post.platform || 'none'],
      ['Endpoint', 'none matched'],
    ]);
    expect(facts).toContainEqual(['Body size', `${post.request.bodySize} bytes`]);
    expect(await page.locator('#detail-body .raw-query code').textContent()).toBe(post.request.rawQuery);
    const headers = await page.$$eval('#detail-body table.params', (tables) => {
      const table = tables.find((tb) => tb.querySelector('caption')?.textContent === 'Headers');
      return Object.fromEntries(
        [...(table?.querySelectorAll('tr') ?? [])].map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
      );
    });
    expect(headers['user-agent']).toBe('okhttp/4.12.0');
    expect(headers).toEqual(post.request.headers);
    await screenshot(page, 'unmatched-requests');

    // Pressed again, every request is back.
    await filter.click();
    await waitForRows(page, '#req-table', (r) => r.length === 4, 'every request again');
    expect(errors).toEqual([]);
  },
  BROWSER_TIMEOUT,
);
