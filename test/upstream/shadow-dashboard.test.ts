import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP, USER } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { BROWSER_TIMEOUT, openBrowser, openDashboard, screenshot, type Browser } from '../ui/browser.js';

/** The dashboard's Parity panel (`--shadow`): a person sees the difference the real platform showed, as compare prints it. */

let browser: Browser;
let real: TestSandbox;
let front: TestSandbox;
beforeAll(async () => {
  browser = await openBrowser();
  const dir = mkdtempSync(join(tmpdir(), 'shadow-dashboard-'));
  writeFileSync(join(dir, 'mantun.json'), JSON.stringify({ mantun: { authverifyFailureSuccess: 'string' } }));
  real = await startTestSandbox({ seed: 'the-real-platform', fixtures: [join(dir, 'mantun.json')] });
  front = await startTestSandbox({ upstream: [`mantun=${real.sb.url}`], shadow: true });
}, BROWSER_TIMEOUT);
afterAll(async () => {
  await browser?.close();
  await front?.close();
  await real?.close();
});

test(
  'the Parity panel says nothing was compared, then lists the difference of a refused login as it arrives',
  async () => {
    const { page, errors } = await openDashboard(browser, `${front.sb.url}/__sandbox/`);
    await page.locator('#parity-empty', { hasText: 'Nothing compared. Start the sandbox with --upstream' }).waitFor();
    expect(await page.locator('#parity-list li').count()).toBe(0);

    const refused = await fetch(`${front.sb.url}/oauth/authverify2.as`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: 'wrong' }),
    });
    expect(JSON.parse(await refused.text())).toEqual({ success: 'false', code: '10004', message: 'uname or passwd is incorrect' });

    const line = page.locator('#parity-list li');
    await line.first().waitFor();
    expect(await line.allTextContents()).toEqual([
      'mantun authverify2.as $.success: real "false" (string), sandbox false (boolean) — fixture mantun.authverifyFailureSuccess: "string"',
    ]);
    expect(await page.locator('#parity-count').textContent()).toBe('(1)');
    expect(await page.locator('#parity-empty').isHidden()).toBe(true);
    await screenshot(page, 'parity');
    expect(errors).toEqual([]);
  },
  BROWSER_TIMEOUT,
);
