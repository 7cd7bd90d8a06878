import type { Browser } from 'playwright-core';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { BROWSER_TIMEOUT } from '../ui/browser.js';
import { launchChromium, otherSite, type OtherSite } from './chromium.js';
import { raw } from './hostile.js';

/**
 * Review finding L1: the admin-token cookie went to every port of the host (cookies ignore ports), so
 * the app under test on another port received the token; and `?token=` stayed in the address bar.
 */

const TOKEN = 'cookie-scope-token-0123456789';
let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox({ adminToken: TOKEN });
});
afterEach(() => t.close());

test('raw: the token exchanged in a page is set without Path, and the page is sent on without ?token=', async () => {
  const name = `sandbox_admin_token_${t.sb.port}`;
  const page = await raw(t.sb.url, { path: `/__sandbox/?token=${TOKEN}`, headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate' } });
  expect([page.status, page.headers.location, page.headers['set-cookie']]).toEqual([303, './', [`${name}=${TOKEN}; HttpOnly; SameSite=Strict`]]);
  // A tool passing ?token= to an API route gets its answer (and the cookie, kept to /__sandbox by the browser rules).
  const api = await raw(t.sb.url, { path: `/__sandbox/clock?token=${TOKEN}` });
  expect([api.status, api.headers['set-cookie']]).toEqual([200, [`${name}=${TOKEN}; HttpOnly; SameSite=Strict`]]);
  // At /__sandbox itself a cookie would default to Path=/: none is set there, the dashboard sends the browser on first.
  const bare = await raw(t.sb.url, { path: `/__sandbox?token=${TOKEN}`, headers: { accept: 'text/html' } });
  expect([bare.status, bare.headers.location, bare.headers['set-cookie']]).toEqual([301, `./__sandbox/?token=${TOKEN}`, undefined]);
});

describe('in Chromium', () => {
  let browser: Browser;
  let app: OtherSite;
  beforeAll(async () => {
    browser = await launchChromium();
  }, BROWSER_TIMEOUT);
  afterAll(() => browser?.close());
  afterEach(() => app?.close());

  test(
    'after opening the dashboard with ?token=, the address bar holds no token and an app on another port of 127.0.0.1 gets no cookie',
    async () => {
      app = await otherSite(() => '<!DOCTYPE html><title>the app under test</title>');
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${t.sb.url}/__sandbox/?token=${TOKEN}`);
        await page.locator('body[data-ready="true"]').waitFor();
        expect(page.url()).toBe(`${t.sb.url}/__sandbox/`);
        // The page's own calls carry the cookie: its data loaded.
        await page.locator('#live', { hasText: /^live$/ }).waitFor();
        await page.goto(`http://127.0.0.1:${app.port}/`);
        await page.goto(`http://127.0.0.1:${app.port}/__other/path`);
        // The browser also asks the app for /favicon.ico: no request of any kind carries a cookie.
        expect(app.requests.filter((r) => r.headers.cookie !== undefined)).toEqual([]);
        expect(app.requests.filter((r) => r.path !== '/favicon.ico').map((r) => ({ path: r.path, cookie: r.headers.cookie }))).toEqual([
          { path: '/', cookie: undefined },
          { path: '/__other/path', cookie: undefined },
        ]);
        // Back on the sandbox, the cookie still opens the dashboard without the token.
        await page.goto(`${t.sb.url}/__sandbox/`);
        await page.locator('body[data-ready="true"]').waitFor();
        expect(await page.locator('h1').first().textContent()).not.toContain('Admin token needed');
      } finally {
        await context.close();
      }
    },
    BROWSER_TIMEOUT,
  );
});
