import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopback } from '../../src/admin/auth.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { getTokens } from '../helpers/mantun.js';
import { spawnSandbox } from '../helpers/cli.js';

const HOW_TO =
  'The control plane needs the admin token: the sandbox listens on 0.0.0.0, where other machines can reach it. ' +
  'Send "Authorization: Bearer <token>" or "X-Sandbox-Admin-Token: <token>"; in a browser open /__sandbox/?token=<token> once. ' +
  'The token is the one given with --admin-token, or the one printed when the sandbox started.';
const REFUSED = { error: 'unauthorized', message: HOW_TO };
const WRONG = { error: 'unauthorized', message: `The admin token sent is wrong. ${HOW_TO}` };

const boundAddress = (t: TestSandbox): AddressInfo => (t.sb.sandbox as unknown as { host: { servers: Server[] } }).host.servers[0].address() as AddressInfo;

describe('default bind', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  test('listens on 127.0.0.1 only, and the control plane needs no token there', async () => {
    expect(boundAddress(t).address).toBe('127.0.0.1');
    expect(t.sb.sandbox.options.adminToken).toBeUndefined();
    expect((await t.http.get('/__sandbox/clock')).status).toBe(200);
    expect((await t.http.post('/__sandbox/clock').send({ advance: '1h' })).status).toBe(200);
  });

  test('loopback is 127.0.0.0/8, ::1 and localhost; everything else needs a token', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true, true, true]);
    expect(['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '::ffff:10.0.0.1'].map(isLoopback)).toEqual([false, false, false, false, false, false]);
  });
});

describe('--host 0.0.0.0 without a token given: one is made up and required', () => {
  let t: TestSandbox;
  let token: string;
  beforeAll(async () => {
    t = await startTestSandbox({ host: '0.0.0.0' });
    token = t.sb.sandbox.options.adminToken!;
  });
  afterAll(() => t.close());

  test('the token is 32 hex characters, different on every start', async () => {
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const other = await startTestSandbox({ host: '0.0.0.0' });
    try {
      expect(other.sb.sandbox.options.adminToken).toMatch(/^[0-9a-f]{32}$/);
      expect(other.sb.sandbox.options.adminToken).not.toBe(token);
    } finally {
      await other.close();
    }
  });

  test('without the token every control-plane route answers 401 with how to pass it, and changes nothing', async () => {
    await t.sb.sessions.create({ id: 's0' });
    const before = t.sb.clock.now();
    for (const [method, path] of [
      ['get', '/__sandbox/clock'],
      ['post', '/__sandbox/clock'],
      ['get', '/__sandbox/requests'],
      ['get', '/__sandbox/tokens'],
      ['post', '/__sandbox/reset'],
      ['put', '/__sandbox/scenario'],
      ['post', '/__sandbox/sessions'],
      ['get', '/__sandbox/export'],
      ['get', '/__sandbox/openapi.json'],
      ['post', '/__sandbox/usercenter/validate-code'],
      ['get', '/s/s0/__sandbox/clock'],
      ['delete', '/s/s0/__sandbox/sessions/s0'],
      ['get', '/__sandbox/no-such-route'],
    ] as const) {
      const res = await t.http[method](path).send({ advance: '1d' });
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 401, body: REFUSED });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="sandbox control plane"');
    }
    expect(t.sb.clock.now() - before).toBeLessThan(60_000);
    expect(t.sb.sessions.list()).toEqual(['s0']);
  });

  test('an unknown session is not revealed before the token: 401 first, 404 unknown_session only with the token', async () => {
    for (const req of [() => t.http.get('/s/nope/__sandbox/clock'), () => t.http.get('/__sandbox/clock').set('x-sandbox-session', 'nope')]) {
      const anonymous = await req();
      expect({ status: anonymous.status, body: anonymous.body }).toEqual({ status: 401, body: REFUSED });
      const admin = await req().set('authorization', `Bearer ${token}`);
      expect([admin.status, admin.body.error]).toEqual([404, 'unknown_session']);
    }
    // Platform endpoints under a session path stay open, as the platforms themselves are.
    const platform = await t.http.post('/s/nope/oauth/token.as');
    expect([platform.status, platform.body.error]).toEqual([404, 'unknown_session']);
  });

  test('a wrong token, in any place, is refused and said to be wrong', async () => {
    for (const res of [
      await t.http.get('/__sandbox/clock').set('authorization', 'Bearer nope'),
      await t.http.get('/__sandbox/clock').set('x-sandbox-admin-token', `${token}x`),
      await t.http.get('/__sandbox/clock?token=nope'),
      await t.http.get('/__sandbox/clock').set('cookie', `sandbox_admin_token_${t.sb.port}=${token.slice(1)}`),
    ]) {
      expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: WRONG });
    }
  });

  test('the token works as a Bearer header, as X-Sandbox-Admin-Token, and in a session prefix', async () => {
    expect((await t.http.get('/__sandbox/clock').set('authorization', `Bearer ${token}`)).status).toBe(200);
    expect((await t.http.get('/__sandbox/clock').set('authorization', `bearer   ${token}`)).status).toBe(200);
    expect((await t.http.get('/__sandbox/clock').set('x-sandbox-admin-token', token)).status).toBe(200);
    const created = await t.http.post('/__sandbox/sessions').set('x-sandbox-admin-token', token).send({ id: 'w1' });
    expect(created.status).toBe(201);
    expect((await t.http.get('/s/w1/__sandbox/clock').set('authorization', `Bearer ${token}`)).status).toBe(200);
    // A stale cookie (say, of an earlier run) does not hide a good header.
    expect((await t.http.get('/__sandbox/clock').set('authorization', `Bearer ${token}`).set('cookie', `sandbox_admin_token_${t.sb.port}=old`)).status).toBe(
      200,
    );
  });

  test("a browser opens the dashboard with ?token= once; the cookie then carries the page's own calls", async () => {
    const page = await t.http.get('/__sandbox/').set('accept', 'text/html');
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<form method="get"><label>Admin token <input name="token" type="password"');

    // The browser is sent on to the page without the token (out of the address bar and history); the cookie has no
    // Path, so the browser keeps it to /__sandbox (see cookie-scope.test.ts).
    const opened = await t.http.get(`/__sandbox/?token=${token}&tab=tokens`).set('accept', 'text/html');
    expect([opened.status, opened.headers.location]).toEqual([303, './?tab=tokens']);
    expect(opened.headers['set-cookie']).toEqual([`sandbox_admin_token_${t.sb.port}=${token}; HttpOnly; SameSite=Strict`]);
    const cookie = `sandbox_admin_token_${t.sb.port}=${token}`;
    expect((await t.http.get('/__sandbox/clock').set('cookie', cookie)).status).toBe(200);
    expect((await t.http.get('/__sandbox/ui/app.js').set('cookie', cookie)).status).toBe(200);
    expect((await t.http.get('/__sandbox/ui/app.js')).status).toBe(401);
  });

  test('health stays open (container health checks), and the platforms never need the token', async () => {
    expect((await t.http.get('/__sandbox/health')).status).toBe(200);
    expect((await getTokens(t.http)).accessToken).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('--admin-token on loopback', () => {
  test('a token given is required even on 127.0.0.1', async () => {
    const t = await startTestSandbox({ adminToken: 'my token;with=odd chars' });
    try {
      const refused = await t.http.get('/__sandbox/clock');
      expect(refused.status).toBe(401);
      // Bound to loopback, the refusal says why a token is asked for without claiming other machines can reach it.
      expect(refused.body).toEqual({
        error: 'unauthorized',
        message:
          'The control plane needs the admin token: the sandbox was started with --admin-token (it listens on 127.0.0.1, this machine only). ' +
          'Send "Authorization: Bearer <token>" or "X-Sandbox-Admin-Token: <token>"; in a browser open /__sandbox/?token=<token> once. ' +
          'The token is the one given with --admin-token, or the one printed when the sandbox started.',
      });
      const page = await t.http.get('/__sandbox/').set('accept', 'text/html');
      expect(page.status).toBe(401);
      expect(page.text).toContain('This sandbox was started with an admin token, so its control plane asks for it');
      expect(page.text).not.toContain('other machines');
      expect((await t.http.get('/__sandbox/clock').set('x-sandbox-admin-token', 'my token;with=odd chars')).status).toBe(200);
      const opened = await t.http.get(`/__sandbox/clock?token=${encodeURIComponent('my token;with=odd chars')}`);
      expect(opened.headers['set-cookie']).toEqual([`sandbox_admin_token_${t.sb.port}=my%20token%3Bwith%3Dodd%20chars; HttpOnly; SameSite=Strict`]);
      expect((await t.http.get('/__sandbox/clock').set('cookie', opened.headers['set-cookie'][0].split(';')[0])).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('sandbox start --host 0.0.0.0 (the real bin)', () => {
  test('prints the generated token; the control plane refuses without it and answers with it', async () => {
    const sb = await spawnSandbox(['start', '--host', '0.0.0.0', '--port', '0', '--quiet']);
    try {
      const m =
        /admin token {4}([0-9a-f]{32})\n {15}the control plane needs it: "Authorization: Bearer <token>",\n[^]*\ndashboard {6}open this link in a browser:\n {2}(\S+)\/__sandbox\/\?token=\1\n/.exec(
          sb.output(),
        );
      expect(m).not.toBeNull();
      expect(m![2]).toBe(sb.url);
      const refused = await fetch(`${sb.url}/__sandbox/tokens`);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual(REFUSED);
      expect((await fetch(`${sb.url}/__sandbox/tokens`, { headers: { authorization: `Bearer ${m![1]}` } })).status).toBe(200);
    } finally {
      expect(await sb.stop()).toBe(0);
    }
  });

  test('a token given with --admin-token is required and not printed', async () => {
    const sb = await spawnSandbox(['start', '--host', '0.0.0.0', '--port', '0', '--quiet', '--admin-token', 'chosen-secret-123']);
    try {
      expect(sb.output()).toContain('admin token    (the one given with --admin-token)\n               the control plane needs it');
      expect(sb.output()).not.toContain('chosen-secret-123');
      expect((await fetch(`${sb.url}/__sandbox/clock`)).status).toBe(401);
      expect((await fetch(`${sb.url}/__sandbox/clock`, { headers: { 'x-sandbox-admin-token': 'chosen-secret-123' } })).status).toBe(200);
    } finally {
      await sb.stop();
    }
  });
});
