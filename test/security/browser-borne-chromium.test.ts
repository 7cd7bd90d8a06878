import type { Browser, Page } from 'playwright-core';
import { getTokens } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { BROWSER_TIMEOUT } from '../ui/browser.js';
import { launchChromium, otherSite, REBOUND, type OtherSite } from './chromium.js';
import { healthAnswers, stateOf } from './hostile.js';

/**
 * Review finding H1 in real Chromium: a page of another site, and a page whose name was rebound to
 * 127.0.0.1, try what the review did. Nothing they send changes the sandbox or reads it; the
 * dashboard, loaded as 127.0.0.1 or as localhost, keeps working.
 */

let browser: Browser;
let t: TestSandbox;
const pages: Page[] = [];
beforeAll(async () => {
  browser = await launchChromium();
}, BROWSER_TIMEOUT);
afterAll(() => browser?.close());
beforeEach(async () => {
  t = await startTestSandbox();
  await getTokens(t.http);
  await getTokens(t.http);
});
// Windows close before the sandbox: a window left open holds a connection that keeps the sandbox's
// close waiting out its grace period (5 s).
afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.context().close()));
  await t.close();
});

/** A fresh window; its context closes (and with it its sockets) when the test ends. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  pages.push(page);
  return page;
}

/** Every answer the sandbox gave the page, as the browser saw it (no-cors ones included). */
function answersFrom(page: Page, base: string): { path: string; status: number }[] {
  const seen: { path: string; status: number }[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith(base)) seen.push({ path: new URL(r.url()).pathname, status: r.status() });
  });
  return seen;
}

describe('a page of another site (CSRF)', () => {
  let site: OtherSite;
  afterEach(() => site?.close());

  test(
    'an auto-submitted text/plain form and no-cors fetches reach the sandbox and change nothing',
    async () => {
      const base = t.sb.url;
      site = await otherSite(
        () => `<!DOCTYPE html><html><body>
<iframe name="sink"></iframe>
<form id="wipe" method="POST" enctype="text/plain" action="${base}/__sandbox/reset" target="sink"><input name="x" value="y"></form>
<form id="empty" method="POST" action="${base}/__sandbox/sessions" target="sink"></form>
<script>
(async () => {
  const out = [];
  for (let i = 0; i < 3; i++) out.push(await fetch('${base}/__sandbox/sessions', { method: 'POST', mode: 'no-cors', body: 'x' }).then((r) => r.type, (e) => 'error ' + e.message));
  out.push(await fetch('${base}/__sandbox/sessions', { method: 'POST', mode: 'no-cors' }).then((r) => r.type, (e) => 'error ' + e.message));
  out.push(await fetch('${base}/__sandbox/export').then((r) => r.status, (e) => 'error ' + e.message));
  document.getElementById('wipe').submit();
  window.fetches = out;
})();
</script></body></html>`,
      );
      const before = await stateOf(t.sb.sandbox);
      const page = await newPage();
      const answers = answersFrom(page, base);
      const wiped = page.waitForResponse((r) => r.url() === `${base}/__sandbox/reset`);
      // localhost:<port> is another site than 127.0.0.1 to the browser.
      await page.goto(`http://localhost:${site.port}/`);
      expect((await wiped).status()).toBe(403);
      // The no-cors answers are opaque to the page, but they came, and the read was blocked by CORS.
      expect(await page.waitForFunction(() => (window as unknown as { fetches?: unknown[] }).fetches).then((h) => h.jsonValue())).toEqual([
        'opaque',
        'opaque',
        'opaque',
        'opaque',
        'error Failed to fetch',
      ]);
      const emptyForm = page.waitForResponse((r) => r.url() === `${base}/__sandbox/sessions` && r.request().resourceType() === 'document');
      await page.evaluate(() => (document.getElementById('empty') as HTMLFormElement).submit());
      expect((await emptyForm).status()).toBe(403);
      expect(answers.filter((a) => a.path !== '/__sandbox/export')).toEqual([
        { path: '/__sandbox/sessions', status: 403 },
        { path: '/__sandbox/sessions', status: 403 },
        { path: '/__sandbox/sessions', status: 403 },
        { path: '/__sandbox/sessions', status: 403 },
        { path: '/__sandbox/reset', status: 403 },
        { path: '/__sandbox/sessions', status: 403 },
      ]);
      await healthAnswers(base);
      expect(await stateOf(t.sb.sandbox)).toBe(before);
      expect(t.sb.sandbox.world.store.size).toBe(6);
      expect(t.sb.sandbox.sessions.size).toBe(0);
    },
    BROWSER_TIMEOUT,
  );
});

describe('DNS rebinding: a page of evil.example, its name pointed at 127.0.0.1', () => {
  test(
    'its scripts cannot read tokens, the journal or the seed, nor switch scenarios',
    async () => {
      const before = await stateOf(t.sb.sandbox);
      const page = await newPage();
      // Health is open to any Host (it says nothing): loading it gives the page the origin http://evil.example:<port>.
      await page.goto(`http://${REBOUND}:${t.sb.port}/__sandbox/health`);
      expect(new URL(page.url()).host).toBe(`${REBOUND}:${t.sb.port}`);
      const results = await page.evaluate(async () => {
        const get = async (path: string) => {
          const r = await fetch(path);
          return { path, status: r.status, body: await r.json() };
        };
        const put = await fetch('/__sandbox/scenario', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"name":"flaky"}' });
        return [
          await get('/__sandbox/export'),
          await get('/__sandbox/requests'),
          await get('/__sandbox/tokens'),
          { path: 'PUT /__sandbox/scenario', status: put.status, body: await put.json() },
        ];
      });
      for (const r of results) {
        expect({ path: r.path, status: r.status, error: r.body.error }).toEqual({ path: r.path, status: 403, error: 'forbidden' });
        expect(r.body.message).toContain(`the Host "${REBOUND}:${t.sb.port}" is not a name of this sandbox`);
        expect(JSON.stringify(r.body)).not.toMatch(/[0-9a-f]{32}|"seed"/);
      }
      await healthAnswers(t.sb.url);
      expect(await stateOf(t.sb.sandbox)).toBe(before);
    },
    BROWSER_TIMEOUT,
  );
});

describe('the dashboard keeps working', () => {
  test.each(['127.0.0.1', 'localhost'])(
    'opened as %s, it loads and its own calls change state',
    async (host) => {
      const page = await newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`http://${host}:${t.sb.port}/__sandbox/`);
      await page.locator('body[data-ready="true"]').waitFor();
      await page.locator('#live', { hasText: /^live$/ }).waitFor();
      await page.fill('#session-id', `from-${host.replace(/\./g, '-')}`);
      const created = page.waitForResponse((r) => r.url().endsWith('/__sandbox/sessions') && r.request().method() === 'POST');
      await page.locator('#session-form button[type="submit"]').click();
      expect((await created).status()).toBe(201);
      expect((await t.sb.sandbox.sessions.list()).map((s) => s.id)).toEqual([`from-${host.replace(/\./g, '-')}`]);
      const before = t.sb.clock.now();
      const moved = page.waitForResponse((r) => r.url().endsWith('/__sandbox/clock') && r.request().method() === 'POST');
      await page.locator('button[data-advance="1h"]').click();
      expect((await moved).status()).toBe(200);
      expect(t.sb.clock.now() - before).toBeGreaterThanOrEqual(3_600_000);
      expect(errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );
});
