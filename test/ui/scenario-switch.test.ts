import { readFileSync } from 'node:fs';
import type { TestSandbox } from '../helpers/sandbox.js';
import { form, getCode, tokenParams } from '../helpers/mantun.js';
import { BROWSER_TIMEOUT, openDashboard, screenshot, waitForRows, type Browser, type Dashboard, useDashboardSuite } from './browser.js';

let t: TestSandbox;
let browser: Browser;
useDashboardSuite((sandbox, b) => {
  t = sandbox;
  browser = b;
});

const exchange = async () =>
  t.http
    .post('/oauth/token.as')
    .type('form')
    .send(form(tokenParams(await getCode(t.http))));
const activeNames = async () => ((await t.http.get('/__sandbox/scenario')).body.active as { name: string }[]).map((a) => a.name);
const activeOnPage = (d: Dashboard) => d.page.$$eval('#scenario-active ol li strong', (els) => els.map((e) => e.textContent));
const TOMCAT_500 =
  '<!doctype html><html lang="en"><head><title>HTTP Status 500 – Internal Server Error</title></head><body><h1>HTTP Status 500 – Internal Server Error</h1></body></html>';

describe('the scenario panel', () => {
  test(
    'switching to token-endpoint-500 with the selector changes the next token response, and the page shows the rule',
    async () => {
      const d = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      const { page } = d;
      expect(await page.locator('#scenario-active').textContent()).toBe('No scenario: the fixtures alone decide every answer.');
      const before = await exchange();
      expect([before.status, before.body.success]).toEqual([200, true]);

      await page.getByLabel('Built-in scenario').selectOption('token-endpoint-500');
      expect(await page.locator('#scenario-description').textContent()).toMatch(
        /^Every token endpoint \(code exchange and refresh, on every platform\) answers HTTP 500/,
      );
      await page.getByRole('button', { name: 'Switch to it' }).click();
      await page.locator('#scenario-active ol li', { hasText: 'token-endpoint-500' }).waitFor();
      expect(await activeNames()).toEqual(['token-endpoint-500']);
      expect(await page.locator('#toast').textContent()).toBe('Scenario switched to token-endpoint-500.');

      const after = await exchange();
      expect(after.status).toBe(500);
      expect(after.text).toBe(TOMCAT_500);
      const shown = await waitForRows(page, '#req-table', (r) => r[0]?.[3] === '500', 'the 500');
      expect(shown.map((r) => [r[2], r[3], r[5]])).toEqual([
        ['POST token.as', '500', 'token-endpoint-500'],
        ['POST authverify2.as', '200', ''],
        ['POST token.as', '200', ''],
        ['POST authverify2.as', '200', ''],
      ]);
      // The HTML error page is shown as the text it is.
      await page.locator('#req-table tbody tr').first().getByRole('button').click();
      expect(await page.getByLabel('Response body').textContent()).toBe(TOMCAT_500);
      expect(await page.locator('#detail-body h1').count()).toBe(0);
      await page.locator('#scenario-active .faults li', { hasText: 'fired 1' }).waitFor({ state: 'attached' });
      await page.locator('#scenario-active details summary').click();
      expect(await page.locator('#scenario-active .faults li').textContent()).toBe('token-endpoint-500 matched 1, fired 1');
      await screenshot(page, 'scenario-switched');

      await page.getByRole('button', { name: 'Fixtures only' }).click();
      await page.locator('#scenario-active', { hasText: 'No scenario' }).waitFor();
      expect(await activeNames()).toEqual([]);
      expect((await exchange()).status).toBe(200);
      expect(d.errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    'Add on top lays a second scenario over the first',
    async () => {
      const d = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      await d.page.getByLabel('Built-in scenario').selectOption('expiry-fast');
      await d.page.getByRole('button', { name: 'Switch to it' }).click();
      await d.page.locator('#scenario-active ol li', { hasText: 'expiry-fast' }).waitFor();
      await d.page.getByLabel('Built-in scenario').selectOption('rotation-strict');
      await d.page.getByRole('button', { name: 'Add on top' }).click();
      await d.page.locator('#scenario-active ol li', { hasText: 'rotation-strict' }).waitFor();
      expect(await activeOnPage(d)).toEqual(['expiry-fast', 'rotation-strict']);
      expect(await activeNames()).toEqual(['expiry-fast', 'rotation-strict']);
      expect(await d.page.locator('#scenario-active p').first().textContent()).toBe('Active, later ones win:');
      expect(d.errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    "a scenario's description shows once: under the selector while it is a choice, in the active list once it is active",
    async () => {
      const d = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      const description = JSON.parse(readFileSync(new URL('../../scenarios/expiry-fast.json', import.meta.url), 'utf8')).description as string;
      const panelText = () => d.page.locator('#scenario').innerText();
      const times = (text: string) => text.split(description).length - 1;
      await d.page.getByLabel('Built-in scenario').selectOption('expiry-fast');
      expect(await d.page.locator('#scenario-description').textContent()).toBe(description);
      expect(times(await panelText())).toBe(1);

      await d.page.getByRole('button', { name: 'Switch to it' }).click();
      await d.page.locator('#scenario-active ol li', { hasText: 'expiry-fast' }).waitFor();
      expect(await d.page.locator('#scenario-active ol li').textContent()).toBe(`expiry-fast — ${description}`);
      expect(await d.page.getByLabel('Built-in scenario').inputValue()).toBe('');
      expect(await d.page.locator('#scenario-description').isVisible()).toBe(false);
      expect(times(await panelText())).toBe(1);

      // Picking the active one again says so instead of repeating it.
      await d.page.getByLabel('Built-in scenario').selectOption('expiry-fast');
      expect(await d.page.locator('#scenario-description').textContent()).toBe('Active now: its description is above.');
      expect(times(await panelText())).toBe(1);
      expect(d.errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );

  test(
    'uploading a scenario file activates it; a file that is not JSON or not a scenario is refused with the reason',
    async () => {
      const d = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      const file = d.page.getByLabel('Upload a scenario file');
      const ticket = {
        $schema: '../schemas/scenario.schema.json',
        name: 'ticket-4711',
        description: 'token.as is busy',
        faults: [{ id: 'busy', platform: 'mantun', endpoint: 'token.as', respond: { status: 503, body: 'busy' } }],
      };
      await file.setInputFiles({ name: 'ticket-4711.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(ticket)) });
      await d.page.locator('#scenario-active ol li', { hasText: 'ticket-4711' }).waitFor();
      expect(await d.page.locator('#scenario-active ol li').textContent()).toBe('ticket-4711 — token.as is busy');
      const busy = await exchange();
      expect([busy.status, busy.text]).toEqual([503, 'busy']);

      await file.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"name": ') });
      await d.page.locator('#error').waitFor();
      expect(await d.page.locator('#error').textContent()).toMatch(/^notes\.json is not JSON: /);

      await file.setInputFiles({
        name: 'typo.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify({ name: 'typo', policy: { lifetimes: { acess: 5 } } })),
      });
      await d.page.locator('#error', { hasText: 'typo.json' }).waitFor();
      expect(await d.page.locator('#error').textContent()).toBe('typo.json: policy.lifetimes: unknown field "acess" (did you mean "access"?)');
      expect(await activeNames()).toEqual(['ticket-4711']);

      await d.page.getByLabel('lay it over the active scenarios').check();
      await file.setInputFiles({
        name: 'fast.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify({ name: 'fast', policy: { lifetimes: { access: 5 } } })),
      });
      await d.page.locator('#scenario-active ol li:nth-child(2)', { hasText: 'fast' }).waitFor();
      expect(await activeNames()).toEqual(['ticket-4711', 'fast']);
      expect(d.errors).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    },
    BROWSER_TIMEOUT,
  );

  test(
    'Export the current state downloads what GET /__sandbox/export gives',
    async () => {
      await t.http.post('/__sandbox/clock').send({ rate: 0 });
      await t.http.post('/__sandbox/clock').send({ set: '2026-05-01T02:00:00Z' });
      await exchange();
      const d = await openDashboard(browser, `${t.sb.url}/__sandbox/`);
      const [download] = await Promise.all([d.page.waitForEvent('download'), d.page.getByRole('link', { name: 'Export the current state' }).click()]);
      expect(download.suggestedFilename()).toBe('sandbox-export.json');
      const file = JSON.parse(readFileSync((await download.path()) as string, 'utf8'));
      expect(file).toEqual((await t.http.get('/__sandbox/export')).body);
      expect(file.state.tokens).toHaveLength(3);
      expect(d.errors).toEqual([]);
    },
    BROWSER_TIMEOUT,
  );
});
