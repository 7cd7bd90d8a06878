import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { call, CLIENT, login, NOT_TIMEOUT, parseResult, REFRESH_USED, SHORT_CLIENT, USER_NOT_FOUND, UUID } from '../helpers/usercenter.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const refresh = (refresh_token: unknown, prefix = '') => t.http.post(`${prefix}/oauth/refreshAccessToken`).send({ refresh_token });
const advance = (by: string) => t.http.post('/__sandbox/clock').send({ advance: by });

describe('refreshAccessToken: POST /oauth/refreshAccessToken {"refresh_token"}', () => {
  test("the real test suite's sequence on client 37 (access 60 s, refresh 180 s)", async () => {
    const first = await login(t.http, SHORT_CLIENT);
    expect(first.expires_in).toBe('60');
    expect((await call(t.http, '/user/getUserByToken', { accessToken: first.accessToken })).status).toBe(1);

    // access token still valid: refused with status 5 (a number) and two spaces in the text
    const early = await refresh(first.refreshToken);
    expect(early.status).toBe(200);
    expect(early.text).toBe('{"status":5,"msg":"Access Token  does not Timeout"}');
    expect((await call(t.http, '/user/getUserByToken', { accessToken: first.accessToken })).status).toBe(1);

    expect((await advance('60s')).status).toBe(200);
    const second = parseResult((await refresh(first.refreshToken)).body);
    expect(second).toEqual({ accessToken: expect.stringMatching(UUID), refreshToken: expect.stringMatching(UUID), expires_in: '60' });
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);

    expect(await call(t.http, '/user/getUserByToken', { accessToken: first.accessToken })).toEqual({ status: 0, msg: USER_NOT_FOUND });
    expect((await call(t.http, '/user/getUserByToken', { accessToken: second.accessToken })).status).toBe(1);

    await advance('120s');
    expect((await refresh(first.refreshToken)).text).toBe(`{"status":0,"msg":"${REFRESH_USED}"}`);
    const third = await refresh(second.refreshToken);
    expect(parseResult(third.body).accessToken).toMatch(UUID);
  });

  test('default client: status 5 until 86400 s have passed, then a new pair; the old access token dies at once', async () => {
    const first = await login(t.http, CLIENT);
    t.sb.clock.advance('86399s');
    expect((await refresh(first.refreshToken)).body).toEqual({ status: 5, msg: NOT_TIMEOUT });
    t.sb.clock.advance('1s');
    const res = await refresh(first.refreshToken, '/cas');
    expect(res.body).toEqual({ status: 1, result: expect.any(String) });
    const second = parseResult(res.body);
    expect(second.expires_in).toBe('86400');
    expect(await call(t.http, '/user/getUserByToken', { accessToken: first.accessToken })).toEqual({ status: 0, msg: USER_NOT_FOUND });
    expect(await call(t.http, '/user/checkOauthToken', { accessToken: first.accessToken })).toEqual({ status: 0, msg: 'accessToken is invalid or expired' });

    // the old refresh token is single-use; the new one waits for the new access token to expire
    expect((await refresh(first.refreshToken)).body).toEqual({ status: 0, msg: REFRESH_USED });
    expect((await refresh(second.refreshToken)).body).toEqual({ status: 5, msg: NOT_TIMEOUT });
  });

  test('a refresh token lives 3 × the access lifetime (Assumed): expired after 259200 s', async () => {
    const { refreshToken } = await login(t.http, CLIENT);
    const tokens = await t.http.get('/__sandbox/tokens?platform=usercenter&kind=refresh');
    expect(tokens.body.tokens.find((r: { value: string }) => r.value === refreshToken)).toMatchObject({ ttl: 259200, appId: '23' });
    t.sb.clock.advance('259200s');
    expect((await refresh(refreshToken)).body).toEqual({ status: 0, msg: REFRESH_USED });
  });

  test.each([
    ['garbage', '随便乱输入的内容haha', { status: 0, msg: REFRESH_USED }],
    ['an access token', 'ACCESS', { status: 0, msg: REFRESH_USED }],
    ['empty', '', { status: 0, msg: 'refresh_token is required' }],
    ['null', null, { status: 0, msg: 'refresh_token is required' }],
    ['an object', { a: 1 }, { status: 0, msg: '"refresh_token" must be a string, got an object {"a":1}' }],
  ])('%s → status 0', async (_name, value, expected) => {
    const { accessToken } = await login(t.http);
    const res = await refresh(value === 'ACCESS' ? accessToken : value);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expected);
  });

  test('a form body and the refreshToken spelling are read too', async () => {
    const first = await login(t.http, SHORT_CLIENT);
    t.sb.clock.advance('61s');
    const form = await t.http.post('/rest/oauth/refreshAccessToken').type('form').send(`refresh_token=${first.refreshToken}`);
    const second = parseResult(form.body);
    t.sb.clock.advance('61s');
    const json = await t.http.post('/oauth/refreshAccessToken').send({ refreshToken: second.refreshToken });
    expect(parseResult(json.body).accessToken).toMatch(UUID);
  });
});

test('policy from fixtures: refreshRequiresExpiredAccess off, refreshFactor 2, "data" generation', async () => {
  const s = await startTestSandbox({ fixtures: [new URL('./fixtures/refresh-anytime.json', import.meta.url).pathname] });
  try {
    const login = await s.http.post('/oauth/token').send({ sysid: 'aaaa', username: 'test', client_id: '23', validateCode: '2233' });
    expect(login.body).toEqual({ status: 1, data: { access_token: expect.stringMatching(UUID), refresh_token: expect.stringMatching(UUID) } });
    const res = await s.http.post('/oauth/refreshAccessToken').send({ refresh_token: login.body.data.refresh_token });
    expect(res.body).toEqual({ status: 1, data: { access_token: expect.stringMatching(UUID), refresh_token: expect.stringMatching(UUID) } });
    const tokens = await s.http.get('/__sandbox/tokens?platform=usercenter&kind=refresh');
    expect(tokens.body.tokens.map((r: { ttl: number }) => r.ttl)).toEqual([172800, 172800]);
  } finally {
    await s.close();
  }
});
