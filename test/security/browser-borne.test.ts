import { APP, form, getTokens, USER } from '../helpers/mantun.js';
import { spawnSandbox } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { healthAnswers, json, raw, stateOf } from './hostile.js';

/**
 * Review finding H1, with raw headers (test/security/browser-borne-chromium.test.ts does the same in a
 * real browser): a web page must not drive the control plane, by DNS rebinding (its own name pointed at
 * 127.0.0.1: the Host header gives it away) or by cross-site requests (forms and no-cors fetches: the
 * browser says where they come from, and can only send form, multipart or text/plain bodies without a
 * preflight). After every refusal the sandbox answers health at once and its state is what it was.
 */

let t: TestSandbox;
let port: string;
beforeAll(async () => {
  t = await startTestSandbox({ allowedHosts: ['sandbox.test', '.corp.test'] });
  port = String(t.sb.port);
  await getTokens(t.http);
  await getTokens(t.http);
});
afterAll(() => t.close());

const rebound = (name: string) =>
  `Blocked request: the Host "${name}:${port}" is not a name of this sandbox, so the control plane does not answer it (a page on another site could have made its name point here: DNS rebinding). ` +
  `It answers to localhost, IP addresses and 127.0.0.1; to reach it as "${name}", start it with --allowed-hosts ${name} (or allowedHosts: ["${name}"]).`;
const CROSS_SITE = (site: string) =>
  `Blocked request: the browser says it comes from another site (Sec-Fetch-Site: ${site}), and the control plane only takes requests from its own pages and from tools. Call it from the dashboard, or from code outside a browser.`;
const FOREIGN_ORIGIN = (origin: string) =>
  `Blocked request: it comes from the page ${JSON.stringify(origin)}, not from this sandbox's own pages, and would change its state. Call the control plane from the dashboard, or from code outside a browser (which sends no Origin).`;
const NOT_JSON = (type: string) =>
  `The control plane takes JSON bodies: send "Content-Type: application/json" (got "${type}"), or no body at all where the route needs none.`;

async function refusedChangesNothing(req: Parameters<typeof raw>[1], status: number, body: unknown): Promise<void> {
  const before = await stateOf(t.sb.sandbox);
  const res = await raw(t.sb.url, req);
  expect({ path: req.path, status: res.status, body: json(res) }).toEqual({ path: req.path, status, body });
  await healthAnswers(t.sb.url);
  expect(await stateOf(t.sb.sandbox)).toBe(before);
}

describe('DNS rebinding: a Host that is not a name of this sandbox', () => {
  test('is refused on every control-plane route, the dashboard and its files included, before anything runs', async () => {
    const host = `evil.example:${port}`;
    for (const path of [
      '/__sandbox/export',
      '/__sandbox/requests',
      '/__sandbox/tokens',
      '/__sandbox/events',
      '/__sandbox/platforms',
      '/__sandbox/openapi.json',
      '/__sandbox/',
      '/__sandbox/ui/app.js',
      '/s/nope/__sandbox/clock',
    ]) {
      await refusedChangesNothing({ path, headers: { host } }, 403, { error: 'forbidden', message: rebound('evil.example') });
    }
    for (const [method, path, body] of [
      ['POST', '/__sandbox/reset', undefined],
      ['PUT', '/__sandbox/scenario', '{"name":"flaky"}'],
      ['POST', '/__sandbox/sessions', '{}'],
      ['POST', '/__sandbox/clock', '{"advance":"1d"}'],
    ] as const) {
      await refusedChangesNothing({ method, path, body, headers: { host, 'content-type': 'application/json' } }, 403, {
        error: 'forbidden',
        message: rebound('evil.example'),
      });
    }
  });

  test('names of this sandbox are served: loopback names and addresses, any IP address, *.localhost, --allowed-hosts', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST.:${port}`,
      `[::1]:${port}`,
      `app.localhost:${port}`,
      '10.1.2.3',
      '[fe80::1]:80',
      `sandbox.test:${port}`,
      'corp.test',
      'ci.build.corp.test',
    ]) {
      const res = await raw(t.sb.url, { path: '/__sandbox/clock', headers: { host } });
      expect({ host, status: res.status }).toEqual({ host, status: 200 });
    }
    for (const host of ['evilcorp.test', 'sandbox.test.evil.example', 'localhost.evil.example', `127.0.0.1.nip.io:${port}`]) {
      const res = await raw(t.sb.url, { path: '/__sandbox/clock', headers: { host } });
      expect({ host, status: res.status }).toEqual({ host, status: 403 });
    }
  });

  test('platform endpoints and health stay open to any Host and Origin, as the platforms are', async () => {
    const before = t.sb.sandbox.world.store.size;
    const res = await raw(t.sb.url, {
      method: 'POST',
      path: '/oauth/authverify2.as',
      headers: {
        host: `evil.example:${port}`,
        origin: 'http://evil.example',
        'sec-fetch-site': 'cross-site',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: USER.passwd }),
    });
    expect([res.status, (json(res) as { success: unknown }).success]).toEqual([200, 'true']);
    expect(t.sb.sandbox.world.store.size).toBe(before + 1);
    expect((await raw(t.sb.url, { path: '/__sandbox/health', headers: { host: 'evil.example' } })).status).toBe(200);
  });
});

describe('cross-site requests', () => {
  test("the review's requests: a text/plain reset and a form session from another site", async () => {
    await refusedChangesNothing(
      {
        method: 'POST',
        path: '/__sandbox/reset',
        headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'content-type': 'text/plain' },
        body: 'x',
      },
      403,
      { error: 'forbidden', message: CROSS_SITE('cross-site') },
    );
    await refusedChangesNothing(
      {
        method: 'POST',
        path: '/__sandbox/sessions',
        headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=b',
      },
      403,
      {
        error: 'forbidden',
        message: FOREIGN_ORIGIN('http://evil.example'),
      },
    );
  });

  test('a state-changing request is refused when the browser marks it cross-site or same-site, or its Origin is not the sandbox', async () => {
    const reset = (headers: Record<string, string>) => ({ method: 'POST', path: '/__sandbox/reset', headers });
    await refusedChangesNothing(reset({ 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors' }), 403, {
      error: 'forbidden',
      message: CROSS_SITE('same-site'),
    });
    // Even as a navigation: a form posted from another site is one.
    await refusedChangesNothing(reset({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }), 403, {
      error: 'forbidden',
      message: CROSS_SITE('cross-site'),
    });
    for (const origin of ['http://evil.example', 'null', `http://localhost:${Number(port) + 1}`, `https://127.0.0.1:${port}.evil.example`]) {
      await refusedChangesNothing(reset({ origin }), 403, { error: 'forbidden', message: FOREIGN_ORIGIN(origin) });
    }
    await refusedChangesNothing({ method: 'DELETE', path: '/__sandbox/sessions', headers: { origin: 'http://evil.example' } }, 403, {
      error: 'forbidden',
      message: FOREIGN_ORIGIN('http://evil.example'),
    });
  });

  test('bodies a browser can send without a preflight are refused, even from a tool: the control plane takes JSON', async () => {
    for (const [type, body] of [
      ['text/plain', '{"advance":"1d"}'],
      ['application/x-www-form-urlencoded', 'advance=1d'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="advance"\r\n\r\n1d\r\n--x--\r\n'],
    ] as const) {
      await refusedChangesNothing({ method: 'POST', path: '/__sandbox/clock', headers: { 'content-type': type }, body }, 415, {
        error: 'unsupported_media_type',
        message: NOT_JSON(type.split(';')[0]),
      });
    }
    // An empty form still says it is one.
    await refusedChangesNothing(
      { method: 'POST', path: '/__sandbox/sessions', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' },
      415,
      {
        error: 'unsupported_media_type',
        message: NOT_JSON('application/x-www-form-urlencoded'),
      },
    );
  });

  test('reads from another site are refused, but a link from another site still opens the dashboard', async () => {
    const read = await raw(t.sb.url, {
      path: '/__sandbox/export',
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' },
    });
    expect([read.status, json(read)]).toEqual([403, { error: 'forbidden', message: CROSS_SITE('cross-site') }]);
    const page = await raw(t.sb.url, {
      path: '/__sandbox/',
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', accept: 'text/html' },
    });
    expect([page.status, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
  });

  test("the dashboard's own requests and tools pass, and change what they ask to", async () => {
    const own = { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'content-type': 'application/json' };
    const created = await raw(t.sb.url, { method: 'POST', path: '/__sandbox/sessions', headers: own, body: '{"id":"from-dashboard"}' });
    expect([created.status, (json(created) as { id: string }).id]).toEqual([201, 'from-dashboard']);
    // The dashboard opened as localhost is its own origin too.
    const local = await raw(t.sb.url, {
      method: 'DELETE',
      path: '/__sandbox/sessions/from-dashboard',
      headers: { ...own, host: `localhost:${port}`, origin: `http://localhost:${port}` },
    });
    expect(local.status).toBe(204);
    // curl, a test suite: no Origin, no Sec-Fetch-*; a POST without a body needs no Content-Type.
    const clock = await raw(t.sb.url, {
      method: 'POST',
      path: '/__sandbox/clock',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"rate":1}',
    });
    expect(clock.status).toBe(200);
    const reset = await raw(t.sb.url, { method: 'POST', path: '/__sandbox/reset' });
    expect([reset.status, json(reset)]).toEqual([200, { status: 'reset', tokens: 0 }]);
    expect(await t.sb.sandbox.sessions.list()).toEqual([]);
  });
});

test('sandbox start --allowed-hosts: the names given are served, others refused', async () => {
  const sb = await spawnSandbox(['start', '--port', '0', '--quiet', '--allowed-hosts', 'sandbox.test,.corp.test']);
  try {
    const p = new URL(sb.url).port;
    for (const [host, status] of [
      [`sandbox.test:${p}`, 200],
      [`build.corp.test:${p}`, 200],
      [`evil.example:${p}`, 403],
    ] as const) {
      expect({ host, status: (await raw(sb.url, { path: '/__sandbox/clock', headers: { host } })).status }).toEqual({ host, status });
    }
  } finally {
    expect(await sb.stop()).toBe(0);
  }
});
