import { MantunClient } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { mantunFailure, PROJECTS } from './support.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
});
afterEach(() => t.close());

const createSession = async (body: object = {}) => {
  const res = await t.http.post('/__sandbox/sessions').send(body);
  if (res.status !== 201) throw new Error(`session not created: ${res.status} ${res.text}`);
  return res.body as { id: string; url: string; headers: Record<string, string> };
};
const INVALID = mantunFailure('10030', 'access_token is invalid');

describe('creating, listing and ending sessions', () => {
  test('POST /sessions returns the id, a base URL and the header to use', async () => {
    const res = await t.http.post('/__sandbox/sessions').send({});
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      url: `${t.sb.url}/s/${res.body.id}`,
      headers: { 'X-Sandbox-Session': res.body.id },
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      scenarios: [],
      tokens: 0,
      clock: expect.objectContaining({ rate: 1 }),
    });
  });

  test('a chosen id and a scenario; GET lists, GET /<id> shows, DELETE ends', async () => {
    const created = await createSession({ id: 'worker-1', scenario: 'expiry-fast' });
    expect(created).toMatchObject({ id: 'worker-1', url: `${t.sb.url}/s/worker-1`, scenarios: ['expiry-fast'] });
    await createSession({ id: 'worker-2' });
    const list = await t.http.get('/__sandbox/sessions');
    expect(list.body.count).toBe(2);
    expect(list.body.sessions.map((s: { id: string }) => s.id)).toEqual(['worker-1', 'worker-2']);
    expect((await t.http.get('/__sandbox/sessions/worker-1')).body).toMatchObject({ id: 'worker-1', scenarios: ['expiry-fast'] });

    expect((await t.http.delete('/__sandbox/sessions/worker-1')).status).toBe(204);
    const gone = await t.http.get('/__sandbox/sessions/worker-1');
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({
      error: 'unknown_session',
      message:
        'No session "worker-1": it was never created or has been ended; GET /__sandbox/sessions lists the open ones, POST /__sandbox/sessions creates one.',
    });
    expect((await t.http.delete('/__sandbox/sessions')).body).toEqual({ ended: 1 });
    expect((await t.http.get('/__sandbox/sessions')).body).toEqual({ count: 0, sessions: [] });
  });

  test.each([
    [{ id: 'a b' }, 400, 'invalid_request', '"id" must be 1 to 64 letters, digits, "_" or "-" (starting with a letter or digit), got "a b".'],
    [{ id: 7 }, 400, 'invalid_request', '"id" must be a string, got 7.'],
    [{ scenaro: 'x' }, 400, 'invalid_request', 'Unknown field(s) scenaro (did you mean "scenario"?): a session takes "id", "scenario" or "scenarios".'],
  ])('%j is refused', async (body, status, error, message) => {
    const res = await t.http.post('/__sandbox/sessions').send(body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error, message });
  });

  test('a taken id is a 409; an unknown scenario is a 404 and creates nothing', async () => {
    await createSession({ id: 'dup' });
    const again = await t.http.post('/__sandbox/sessions').send({ id: 'dup' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'session_exists', message: 'Session "dup" already exists; DELETE /__sandbox/sessions/dup first or pick another id.' });
    const bad = await t.http.post('/__sandbox/sessions').send({ id: 'x', scenario: 'nope' });
    expect(bad.status).toBe(404);
    expect(bad.body.error).toBe('unknown_scenario');
    expect((await t.http.get('/__sandbox/sessions/x')).status).toBe(404);
  });
});

describe('reaching a session', () => {
  test('by path prefix (also with the platform and context-path prefixes) and by header', async () => {
    const { id } = await createSession();
    for (const client of [
      new MantunClient(t.http, `/s/${id}`),
      new MantunClient(t.http, `/s/${id}/mantun`),
      new MantunClient(t.http, `/s/${id}/ebx-rook`),
      new MantunClient(t.http, '', { 'X-Sandbox-Session': id }),
    ]) {
      const { accessToken } = await client.tokens();
      expect((await client.call(accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(PROJECTS);
    }
    expect((await t.http.get(`/s/${id}/__sandbox/tokens?kind=access`)).body.count).toBe(4);
    expect((await t.http.get('/__sandbox/tokens?kind=access').set('X-Sandbox-Session', id)).body.count).toBe(4);
    expect((await t.http.get('/__sandbox/tokens?kind=access')).body.count).toBe(0);
    const entries = (await t.http.get(`/__sandbox/requests?session=${id}`)).body;
    expect(entries.count).toBe(12);
  });

  test('an unknown or ended session is a 404, never the default world', async () => {
    const { id } = await createSession();
    await t.http.delete(`/__sandbox/sessions/${id}`).expect(204);
    const message = `No session "${id}": it was never created or has been ended; GET /__sandbox/sessions lists the open ones, POST /__sandbox/sessions creates one.`;
    for (const res of [
      await new MantunClient(t.http, `/s/${id}`).authverify(),
      await new MantunClient(t.http, '', { 'X-Sandbox-Session': id }).authverify(),
      await t.http.get(`/s/${id}/__sandbox/tokens`),
      await t.http.get('/__sandbox/clock').set('X-Sandbox-Session', id),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'unknown_session', message });
    }
  });
});

describe('isolation', () => {
  test('tokens, clock and scenario of one session are invisible to the others', async () => {
    const a = new MantunClient(t.http, `/s/${(await createSession({ id: 'a', scenario: 'expiry-fast' })).id}`);
    const b = new MantunClient(t.http, `/s/${(await createSession({ id: 'b' })).id}`);
    const main = new MantunClient(t.http);
    const ta = await a.tokens();
    const tb = await b.tokens();
    expect(ta.expiresIn).toBe(5);
    expect(tb.expiresIn).toBe(3600);
    expect((await main.tokens()).expiresIn).toBe(3600);

    expect((await b.call(ta.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(INVALID);
    expect((await main.call(ta.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(INVALID);
    expect((await a.refresh(tb.refreshToken)).body).toEqual(mantunFailure('10020', 'refresh_token is invalid'));

    await t.http.post('/s/b/__sandbox/clock').send({ advance: '2h' }).expect(200);
    const bNow = (await t.http.get('/s/b/__sandbox/clock')).body.epochMs;
    expect((await b.call(tb.accessToken, 'GET_PROJECTS', bNow)).body).toEqual(mantunFailure('10031', 'access_token has expired'));
    expect(Math.abs((await t.http.get('/__sandbox/clock')).body.offsetMs)).toBeLessThan(2000);

    await t.http.put('/s/b/__sandbox/scenario').send({ name: 'token-endpoint-500' }).expect(200);
    expect((await b.exchange(await b.code())).status).toBe(500);
    expect((await a.exchange(await a.code())).status).toBe(200);
    expect((await t.http.get('/__sandbox/scenario')).body.active).toEqual([]);
  });

  test('two "workers" running the same flow concurrently in two sessions never see each other\'s tokens', async () => {
    const sessions = [await createSession({ id: 'jest-1' }), await createSession({ id: 'jest-2' })];
    const flow = async (prefix: string) => {
      const client = new MantunClient(t.http, prefix);
      const tokens = await client.tokens();
      const refreshed = (await client.refresh(tokens.refreshToken)).body.data;
      const call = await client.call(refreshed.accessToken, 'GET_PROJECTS', t.sb.clock.now());
      return { prefix, tokens, refreshed, ok: call.body.success === true };
    };
    const runs = await Promise.all(sessions.flatMap((s) => Array.from({ length: 25 }, () => flow(`/s/${s.id}`))));
    expect(runs.every((r) => r.ok)).toBe(true);
    for (const s of sessions) {
      const own = runs.filter((r) => r.prefix === `/s/${s.id}`);
      const listed = (await t.http.get(`/s/${s.id}/__sandbox/tokens?kind=access`)).body.tokens.map((x: { value: string }) => x.value).sort();
      expect(listed).toEqual(own.flatMap((r) => [r.tokens.accessToken, r.refreshed.accessToken]).sort());
    }
    // Every token of one worker is unknown to the other.
    const other = new MantunClient(t.http, '/s/jest-2');
    const fromFirst = runs.filter((r) => r.prefix === '/s/jest-1');
    const checks = await Promise.all(fromFirst.map((r) => other.call(r.refreshed.accessToken, 'GET_PROJECTS', t.sb.clock.now())));
    expect(checks.every((c) => c.body.code === '10030')).toBe(true);
  });

  test('POST /__sandbox/reset in a session resets that session only', async () => {
    await createSession({ id: 'r' });
    await new MantunClient(t.http, '/s/r').tokens();
    await new MantunClient(t.http).tokens();
    expect((await t.http.post('/s/r/__sandbox/reset')).body).toEqual({ status: 'reset', tokens: 0 });
    expect((await t.http.get('/__sandbox/tokens?kind=access')).body.count).toBe(1);
  });
});
