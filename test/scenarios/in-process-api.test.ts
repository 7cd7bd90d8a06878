import { MantunClient } from '../helpers/mantun.js';
import request from 'supertest';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { mantunFailure, PROJECTS } from './support.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
});
afterEach(() => t.close());

describe('sb.scenario', () => {
  test('use, add, active, clear', async () => {
    const mantun = new MantunClient(t.http);
    const view = await t.sb.scenario.use('rotation-strict');
    expect(view.active).toEqual([{ name: 'rotation-strict', description: expect.any(String), source: 'builtin' }]);
    await t.sb.scenario.add({ name: 'short', policy: { lifetimes: { access: 5 } } });
    expect(t.sb.scenario.active().active.map((a) => a.name)).toEqual(['rotation-strict', 'short']);
    const first = await mantun.tokens();
    expect(first.expiresIn).toBe(5);
    await mantun.refresh(first.refreshToken);
    await mantun.refresh(first.refreshToken);
    expect((await mantun.call(first.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(mantunFailure('10032', 'access_token has been revoked'));
    expect((await t.sb.scenario.clear()).active).toEqual([]);
    expect((await mantun.tokens()).expiresIn).toBe(3600);
  });

  test('fault() arms one rule and returns the id the journal records', async () => {
    const id = t.sb.scenario.fault({ endpoint: 'router.as', first: 1, respond: { status: 503 } });
    expect(id).toBe('fault-1');
    const mantun = new MantunClient(t.http);
    const { accessToken } = await mantun.tokens();
    expect((await mantun.call(accessToken, 'GET_PROJECTS', t.sb.clock.now())).status).toBe(503);
    expect(t.sb.requests({ endpoint: 'router.as' })[0].rule).toBe('fault-1');
  });

  test('an unknown name or a broken inline scenario throws a message naming what is wrong', async () => {
    await expect(t.sb.scenario.use('rotation-strikt')).rejects.toThrow(
      /^rotation-strikt: unknown scenario "rotation-strikt" \(did you mean "rotation-strict"\?\); the library has callback-url-missing, /,
    );
    await expect(t.sb.scenario.use({ clock: { skew: 'soon' } })).rejects.toThrow(
      'inline scenario: clock.skew: expected a duration such as "5m", "+5m", "-5m", "250ms" or a number of seconds (got "soon")',
    );
  });

  test('export() gives the scenario file of the current state', async () => {
    await new MantunClient(t.http).tokens();
    const file = await t.sb.scenario.export('api-export');
    expect(file.name).toBe('api-export');
    expect(file.state?.tokens?.map((x) => x.kind)).toEqual(['code', 'access', 'refresh']);
  });
});

describe('sb.sessions', () => {
  test('create({ scenario }) gives a URL with its own state, clock and scenario; close() ends it', async () => {
    const session = await t.sb.sessions.create({ scenario: 'expiry-fast' });
    expect(session.url).toBe(`${t.sb.url}/s/${session.id}`);
    expect(session.headers).toEqual({ 'X-Sandbox-Session': session.id });
    expect(t.sb.sessions.list()).toEqual([session.id]);

    // The app under test only needs a different base URL.
    const app = new MantunClient(request(session.url));
    const tokens = await app.tokens();
    expect(tokens.expiresIn).toBe(5);
    expect((await app.call(tokens.accessToken, 'GET_PROJECTS', session.clock.now())).body).toEqual(PROJECTS);
    session.clock.advance('5s');
    expect((await app.call(tokens.accessToken, 'GET_PROJECTS', session.clock.now())).body).toEqual(mantunFailure('10031', 'access_token has expired'));
    expect(Math.abs(t.sb.clock.now() - Date.now())).toBeLessThan(2000);
    expect(session.requests().map((e) => e.endpoint)).toEqual(['router.as', 'router.as', 'token.as', 'authverify2.as']);
    expect(t.sb.requests({ session: 'default' })).toEqual([]);

    await session.scenario.use('token-endpoint-500');
    expect((await app.exchange(await app.code())).status).toBe(500);
    expect(t.sb.scenario.active().active).toEqual([]);

    await session.close();
    // Closing goes through the control service like DELETE /sessions/<id>: a session already ended is refused, not ignored.
    await expect(session.close()).rejects.toMatchObject({ kind: 'unknown_session' });
    expect(t.sb.sessions.get(session.id)).toBeUndefined();
    expect((await app.authverify()).status).toBe(404);
  });

  test('create() with a chosen id, and with an unknown scenario (which creates nothing)', async () => {
    const session = await t.sb.sessions.create({ id: 'worker-3' });
    expect(session.id).toBe('worker-3');
    await expect(t.sb.sessions.create({ id: 'worker-3' })).rejects.toThrow(
      'Session "worker-3" already exists; DELETE /__sandbox/sessions/worker-3 first or pick another id.',
    );
    await expect(t.sb.sessions.create({ id: 'w4', scenario: 'nope' })).rejects.toThrow(/^nope: unknown scenario "nope"/);
    expect(t.sb.sessions.list()).toEqual(['worker-3']);
  });

  test('startSandbox({ scenario }) activates scenarios from the start', async () => {
    const other = await startTestSandbox({ scenario: ['expiry-fast', 'code-reuse-allowed'] });
    try {
      expect(other.sb.scenario.active().active.map((a) => a.name)).toEqual(['expiry-fast', 'code-reuse-allowed']);
    } finally {
      await other.close();
    }
  });
});
