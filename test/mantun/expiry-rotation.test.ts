import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { form, getTokens, refreshParams, routerParams } from '../helpers/mantun.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
});
afterEach(() => t.close());

const post = (path: string, params: Record<string, string>) => t.http.post(path).type('form').send(form(params));
const projects = (token: string) => post('/invoke/router.as', routerParams(token, 'GET_PROJECTS', t.sb.clock.now()));

describe('Mantun expiry through the sandbox clock', () => {
  test('a token works until 3600 s, fails after, and refresh.as gives a working one', async () => {
    const first = await getTokens(t.http);
    await t.http.post('/__sandbox/clock').send({ advance: '3599s' }).expect(200);
    expect((await projects(first.accessToken)).body.success).toBe(true);

    const moved = await t.http.post('/__sandbox/clock').send({ advance: '2s' });
    expect(moved.status).toBe(200);
    expect((await projects(first.accessToken)).body).toEqual({ success: false, code: '10031', message: 'access_token has expired' });

    const refreshed = await post('/oauth/refresh.as', refreshParams(first.refreshToken));
    expect(refreshed.body.success).toBe(true);
    expect((await projects(refreshed.body.data.accessToken)).body.success).toBe(true);
  });

  test.each(['1h', '60m', '3601s'])('advance "%s" expires the access token', async (amount) => {
    const { accessToken } = await getTokens(t.http);
    const before = (await t.http.get('/__sandbox/clock')).body.epochMs as number;
    const moved = await t.http.post('/__sandbox/clock').send({ advance: amount });
    expect(moved.body.epochMs - before).toBeGreaterThanOrEqual(3_600_000);
    expect((await projects(accessToken)).body.code).toBe('10031');
  });
});

describe('Mantun refresh rotation (Assumed defaults)', () => {
  test('refresh rotates both tokens; the old access token stays valid until its own expiry', async () => {
    const first = await getTokens(t.http);
    const second = (await post('/oauth/refresh.as', refreshParams(first.refreshToken))).body.data;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await projects(first.accessToken)).body.success).toBe(true);
    expect((await projects(second.accessToken)).body.success).toBe(true);

    t.sb.clock.advance('3601s');
    expect((await projects(first.accessToken)).body.code).toBe('10031');
    expect((await projects(second.accessToken)).body.code).toBe('10031');
  });

  test('the old refresh token is single-use, the new one works, then is spent too', async () => {
    const first = await getTokens(t.http);
    const second = (await post('/oauth/refresh.as', refreshParams(first.refreshToken))).body.data;
    expect((await post('/oauth/refresh.as', refreshParams(first.refreshToken))).body).toEqual({
      success: false,
      code: '10021',
      message: 'refresh_token has already been used',
    });
    const third = (await post('/oauth/refresh.as', refreshParams(second.refreshToken))).body;
    expect(third.success).toBe(true);
    expect((await post('/oauth/refresh.as', refreshParams(second.refreshToken))).body.code).toBe('10021');
  });

  test('a refresh token works until 30 days and is refused after', async () => {
    const first = await getTokens(t.http);
    t.sb.clock.advance(30 * 86_400_000 - 1000);
    expect((await post('/oauth/refresh.as', refreshParams(first.refreshToken))).body.success).toBe(true);
    const second = await getTokens(t.http);
    t.sb.clock.advance('30d');
    expect((await post('/oauth/refresh.as', refreshParams(second.refreshToken))).body.code).toBe('10022');
  });

  test('50 concurrent refreshes of one refresh token: exactly one succeeds', async () => {
    const { refreshToken } = await getTokens(t.http);
    const results = await Promise.all(Array.from({ length: 50 }, () => post('/oauth/refresh.as', refreshParams(refreshToken))));
    expect(results.filter((r) => r.body.success === true)).toHaveLength(1);
    expect(results.filter((r) => r.body.code === '10021')).toHaveLength(49);
  });
});

describe('lifetimes from fixtures', () => {
  test('a fixture can shorten the access token life per app, and expiresIn says so', async () => {
    const custom = await startTestSandbox({ fixtures: [new URL('../fixtures/mantun-short-tokens.json', import.meta.url).pathname] });
    try {
      const tok = await getTokens(custom.http);
      const res = await custom.http
        .post('/oauth/refresh.as')
        .type('form')
        .send(form(refreshParams(tok.refreshToken)));
      expect(res.body.data.expiresIn).toBe(60);
      custom.sb.clock.advance('61s');
      const call = await custom.http
        .post('/invoke/router.as')
        .type('form')
        .send(form(routerParams(res.body.data.accessToken, 'GET_PROJECTS', custom.sb.clock.now())));
      expect(call.body.code).toBe('10031');
    } finally {
      await custom.close();
    }
  });
});
