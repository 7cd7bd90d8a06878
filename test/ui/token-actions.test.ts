import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, USER, form, getCode, getTokens, refreshParams, routerParams, tokenParams } from '../helpers/mantun.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
  // Frozen, so every time in a body is exact.
  // Stopped before it is set, so no millisecond passes in between.
  await t.http.post('/__sandbox/clock').send({ rate: 0 });
  await t.http.post('/__sandbox/clock').send({ set: '2026-05-01T02:00:00Z' });
});
afterEach(() => t.close());

const NOW = Date.parse('2026-05-01T02:00:00Z');
const tokenRecord = async (kind: string) => (await t.http.get('/__sandbox/tokens').query({ kind })).body.tokens[0];

describe('POST /__sandbox/tokens/<value>/expire', () => {
  test('ends an access token now: 200 with the record, and the platform answers "expired"', async () => {
    const tokens = await getTokens(t.http);
    const before = await tokenRecord('access');
    const res = await t.http.post(`/__sandbox/tokens/${tokens.accessToken}/expire`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token: { ...before, expiresAt: NOW, state: 'expired', expiresInSeconds: 0 } });
    expect(typeof res.body.token.expiresAt).toBe('number');
    const call = await t.http
      .post('/invoke/router.as')
      .type('form')
      .send(form(routerParams(tokens.accessToken, 'GET_PROJECTS', NOW)));
    expect(call.body).toEqual({ success: false, code: '10031', message: 'access_token has expired' });
  });

  test('leaves an already expired value as it was (its end is not moved later)', async () => {
    const tokens = await getTokens(t.http);
    await t.http.post('/__sandbox/clock').send({ advance: '2h' });
    const res = await t.http.post(`/__sandbox/tokens/${tokens.accessToken}/expire`);
    expect(res.status).toBe(200);
    expect([res.body.token.expiresAt, res.body.token.state, res.body.token.expiresInSeconds]).toEqual([NOW + 3_600_000, 'expired', -3600]);
  });

  test('platform and kind in the query pick one value; in a JSON body too', async () => {
    const tokens = await getTokens(t.http);
    const q = await t.http.post(`/__sandbox/tokens/${tokens.refreshToken}/expire`).query({ platform: 'mantun', kind: 'refresh' });
    expect([q.status, q.body.token.kind, q.body.token.state]).toEqual([200, 'refresh', 'expired']);
    const b = await t.http.post(`/__sandbox/tokens/${tokens.accessToken}/expire`).send({ platform: 'mantun', kind: 'access' });
    expect([b.status, b.body.token.kind, b.body.token.state]).toEqual([200, 'access', 'expired']);
  });
});

describe('POST /__sandbox/tokens/<value>/revoke', () => {
  test('revokes a refresh token (reason "admin"); the platform refuses the refresh', async () => {
    const tokens = await getTokens(t.http);
    const before = await tokenRecord('refresh');
    const res = await t.http.post(`/__sandbox/tokens/${tokens.refreshToken}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token: { ...before, revokedAt: NOW, revokedReason: 'admin', state: 'revoked' } });
    const refused = await t.http
      .post('/oauth/refresh.as')
      .type('form')
      .send(form(refreshParams(tokens.refreshToken)));
    expect(refused.body).toEqual({ success: false, code: '10023', message: 'refresh_token has been revoked' });
    // Revoking again changes nothing.
    const again = await t.http.post(`/__sandbox/tokens/${tokens.refreshToken}/revoke`);
    expect(again.body).toEqual(res.body);
  });

  test("a revoked code also ends now, because the protocols only check a code's use and expiry", async () => {
    const code = await getCode(t.http);
    const res = await t.http.post(`/__sandbox/tokens/${code}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body.token).toMatchObject({
      value: code,
      kind: 'code',
      revokedAt: NOW,
      revokedReason: 'admin',
      expiresAt: NOW,
      state: 'revoked',
      expiresInSeconds: 0,
    });
    const exchange = await t.http
      .post('/oauth/token.as')
      .type('form')
      .send(form(tokenParams(code)));
    expect(exchange.body).toEqual({ success: false, code: '10012', message: 'code has expired' });
  });

  test('works in a session (prefix or header) and only there', async () => {
    await t.http.post('/__sandbox/sessions').send({ id: 'w1' });
    const code = await getCode(t.http, '/s/w1');
    expect((await t.http.post(`/__sandbox/tokens/${code}/revoke`)).status).toBe(404);
    const viaHeader = await t.http.post(`/__sandbox/tokens/${code}/expire`).set('X-Sandbox-Session', 'w1');
    expect([viaHeader.status, viaHeader.body.token.state]).toEqual([200, 'expired']);
    const viaPrefix = await t.http.post(`/s/w1/__sandbox/tokens/${code}/revoke`);
    expect([viaPrefix.status, viaPrefix.body.token.state]).toEqual([200, 'revoked']);
  });
});

describe('refusals', () => {
  test('an unknown value: 404 unknown_token', async () => {
    const res = await t.http.post('/__sandbox/tokens/0123456789abcdef0123456789abcdef/revoke');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: 'unknown_token',
      message: 'No code or token "0123456789abcdef0123456789abcdef" in this world; GET /__sandbox/tokens lists them.',
    });
    const narrowed = await t.http.post('/__sandbox/tokens/abc/expire').query({ platform: 'sop', kind: 'access' });
    expect(narrowed.body).toEqual({ error: 'unknown_token', message: 'No code or token "abc" (sop access) in this world; GET /__sandbox/tokens lists them.' });
  });

  test('a value held by two platforms: 409 ambiguous_token naming both', async () => {
    const value = 'shared-value';
    await t.http.put('/__sandbox/scenario').send({
      state: {
        tokens: [
          { platform: 'mantun', kind: 'access', value, appId: APP.appKey, subject: USER.uname },
          { platform: 'sop', kind: 'access', value, appId: '2019032617262200001', subject: 'sandbox' },
        ],
      },
    });
    const res = await t.http.post(`/__sandbox/tokens/${value}/expire`);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: 'ambiguous_token',
      message: '"shared-value" is a mantun access and a sop access; add ?platform=<id>&kind=<kind> to pick one.',
    });
    const picked = await t.http.post(`/__sandbox/tokens/${value}/expire`).query({ platform: 'sop' });
    expect([picked.status, picked.body.token.platform, picked.body.token.state]).toEqual([200, 'sop', 'expired']);
  });

  test('an unknown platform, kind or action: 400 / 404 with the choices', async () => {
    const p = await t.http.post('/__sandbox/tokens/abc/expire').query({ platform: 'github' });
    expect([p.status, p.body]).toEqual([400, { error: 'invalid_request', message: '"platform" must be one of mantun, usercenter, sop, zjrc, got "github".' }]);
    const k = await t.http.post('/__sandbox/tokens/abc/expire').send({ kind: 'id_token' });
    expect([k.status, k.body]).toEqual([400, { error: 'invalid_request', message: '"kind" must be one of code, access, refresh, temp, got "id_token".' }]);
    const n = await t.http.post('/__sandbox/tokens/abc/expire').send({ kind: 7 });
    expect([n.status, n.body]).toEqual([400, { error: 'invalid_request', message: '"kind" must be one of code, access, refresh, temp, got 7.' }]);
    const a = await t.http.post('/__sandbox/tokens/abc/delete');
    expect([a.status, a.body]).toEqual([
      404,
      { error: 'not_found', message: 'No token action "delete": use POST /__sandbox/tokens/<value>/expire or /revoke.' },
    ]);
  });

  test('GET /__sandbox/tokens?order=newest lists the last issued first (what the dashboard asks for); another order is refused', async () => {
    const tokens = await getTokens(t.http);
    const oldest = (await t.http.get('/__sandbox/tokens')).body.tokens.map((x: { kind: string }) => x.kind);
    const newest = await t.http.get('/__sandbox/tokens').query({ order: 'newest', limit: 2 });
    expect(oldest).toEqual(['code', 'access', 'refresh']);
    expect(newest.body.tokens.map((x: { value: string }) => x.value)).toEqual([tokens.refreshToken, tokens.accessToken]);
    expect(newest.body.count).toBe(2);
    const bad = await t.http.get('/__sandbox/tokens').query({ order: 'random' });
    expect([bad.status, bad.body]).toEqual([
      400,
      { error: 'invalid_request', message: '"order" must be "oldest" (issue order, the default) or "newest", got "random".' },
    ]);
  });

  test('GET /__sandbox/tokens is unchanged: every record with state and expiresInSeconds', async () => {
    const tokens = await getTokens(t.http);
    const res = await t.http.get('/__sandbox/tokens').query({ kind: 'access' });
    expect(res.body).toEqual({
      count: 1,
      tokens: [
        expect.objectContaining({
          value: tokens.accessToken,
          platform: 'mantun',
          kind: 'access',
          issuedAt: NOW,
          expiresAt: NOW + 3_600_000,
          ttl: 3600,
          state: 'active',
          expiresInSeconds: 3600,
        }),
      ],
    });
  });
});
