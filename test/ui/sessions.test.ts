import type { TestSandbox } from '../helpers/sandbox.js';
import { getCode } from '../helpers/mantun.js';
import { BROWSER_TIMEOUT, openDashboard, rows, screenshot, waitForRows, type Browser, useDashboardSuite } from './browser.js';

let t: TestSandbox;
let browser: Browser;
useDashboardSuite((sandbox, b) => {
  t = sandbox;
  browser = b;
});

describe('the sessions panel', () => {
  test(
    'create a session with a scenario, open its own page, and see only its traffic, tokens and clock there',
    async () => {
      const home = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      expect(await home.page.locator('#sessions-count').textContent()).toBe('(0)');
      await home.page.getByLabel('Session id').fill('worker-ui');
      await home.page.getByLabel('with scenario').selectOption('expiry-fast');
      await home.page.getByRole('button', { name: 'Create session' }).click();
      const link = home.page.getByRole('link', { name: 'Open session worker-ui' });
      await link.waitFor();
      expect(await home.page.locator('#session-list li').first().textContent()).toBe(`worker-ui 0 tokens · expiry-fast${t.sb.url}/s/worker-uiCopyEnd`);
      expect(await home.page.evaluate(() => document.activeElement?.textContent)).toBe('worker-ui');
      expect(await home.page.locator('#toast').textContent()).toBe(`Session worker-ui created: point your app at ${t.sb.url}/s/worker-ui`);
      const listed = (await t.http.get('/__sandbox/sessions/worker-ui')).body;
      expect([listed.id, listed.scenarios]).toEqual(['worker-ui', ['expiry-fast']]);

      await link.click();
      await home.page.waitForURL(`${t.sb.url}/s/worker-ui/__sandbox/`);
      await home.page.locator('body[data-ready="true"]').waitFor();
      await home.page.locator('#live', { hasText: /^live$/ }).waitFor();
      const session = home.page;
      expect(await session.locator('#world-name').textContent()).toBe('session worker-ui');
      expect(await session.title()).toBe('Sandbox dashboard — session worker-ui');
      expect(await session.getByRole('link', { name: 'back to the default world' }).getAttribute('href')).toBe('/__sandbox/');
      expect(await session.locator('#scenario-active ol li strong').allTextContents()).toEqual(['expiry-fast']);
      expect(await session.locator('[aria-current="page"]').textContent()).toBe('worker-ui');
      // The platform URLs an app should use in this session carry its prefix.
      expect(await session.locator('#platform-list details').first().locator('.copy-list code').allTextContents()).toEqual([
        `${t.sb.url}/s/worker-ui`,
        `${t.sb.url}/s/worker-ui/mantun`,
        `${t.sb.url}/s/worker-ui/ebx-rook`,
      ]);

      const other = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      await getCode(t.http, '/s/worker-ui');
      const shown = await waitForRows(session, '#req-table', (r) => r.length === 1, 'the session request');
      expect(shown.map((r) => [r[1], r[2], r[3]])).toEqual([['mantun', 'POST authverify2.as', '200']]);
      await waitForRows(session, '#tok-table', (r) => r.length === 1, 'the session code');
      await session.getByRole('button', { name: '+1 h' }).click();
      await waitForRows(session, '#tok-table', (r) => r[0][4] === 'expired', 'the code expiring by the session clock');
      await screenshot(session, 'session-page');
      // The default world saw none of it.
      expect(await rows(other.page, '#req-table')).toEqual([]);
      expect(await rows(other.page, '#tok-table')).toEqual([]);
      expect((await t.http.get('/__sandbox/clock')).body.offsetMs).toBe(0);
      expect(home.errors).toEqual([]);
      expect(other.errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    'a session without an id gets one; a taken id is refused with the reason; End removes one',
    async () => {
      const d = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      await d.page.getByRole('button', { name: 'Create session' }).click();
      await d.page.locator('#sessions-count', { hasText: '(1)' }).waitFor();
      const id = (await t.http.get('/__sandbox/sessions')).body.sessions[0].id as string;
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      expect(await d.page.locator('#session-list a').allTextContents()).toEqual([id]);

      await d.page.getByLabel('Session id').fill(id);
      await d.page.getByRole('button', { name: 'Create session' }).click();
      await d.page.locator('#error').waitFor();
      expect(await d.page.locator('#error').textContent()).toBe(`Session "${id}" already exists; DELETE /__sandbox/sessions/${id} first or pick another id.`);

      await d.page.getByRole('button', { name: `End session ${id}` }).click();
      await d.page.locator('#sessions-count', { hasText: '(0)' }).waitFor();
      expect((await t.http.get('/__sandbox/sessions')).body).toEqual({ count: 0, sessions: [] });
      expect(d.errors).toEqual(['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);
    },
    BROWSER_TIMEOUT,
  );

  test(
    'the page of a session that does not exist says so',
    async () => {
      const page = await browser.newPage();
      await page.goto(`${t.sb.url}/s/gone/__sandbox/`);
      expect(JSON.parse((await page.locator('body').textContent()) as string)).toEqual({
        error: 'unknown_session',
        message:
          'No session "gone": it was never created or has been ended; GET /__sandbox/sessions lists the open ones, POST /__sandbox/sessions creates one.',
      });
    },
    BROWSER_TIMEOUT,
  );
});
