import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { call, login, parseResult, REFRESH_USED, USER_NOT_FOUND } from '../helpers/usercenter.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const DESTROYED = { status: 1, result: 'destroy accesstoken success' };

describe('destroyAccessToken: POST /oauth/destoryToken {"access_token"} (sic)', () => {
  test('a live token is destroyed: user, check and temp token all refuse it afterwards', async () => {
    const { accessToken } = await login(t.http);
    expect((await call(t.http, '/user/getUserByToken', { accessToken })).status).toBe(1);
    const res = await t.http.post('/oauth/destoryToken').send({ access_token: accessToken });
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"status":1,"result":"destroy accesstoken success"}');
    expect(await call(t.http, '/user/getUserByToken', { accessToken })).toEqual({ status: 0, msg: USER_NOT_FOUND });
    expect(await call(t.http, '/user/checkOauthToken', { accessToken })).toEqual({ status: 0, msg: 'accessToken is invalid or expired' });
    expect(await call(t.http, '/oauth/getTempToken', { accessToken })).toEqual({ status: 0, msg: 'accessToken is invalid or expired' });
  });

  test('the paired refresh token dies with it (Assumed, destroyRevokesRefresh)', async () => {
    const { accessToken, refreshToken } = await login(t.http);
    expect(await call(t.http, '/oauth/destoryToken', { accessToken })).toEqual(DESTROYED);
    expect(await call(t.http, '/oauth/refreshAccessToken', { refresh_token: refreshToken })).toEqual({ status: 0, msg: REFRESH_USED });
  });

  test('garbage, a destroyed token again and an expired token all "succeed" with status 1', async () => {
    const { accessToken } = await login(t.http);
    expect(await call(t.http, '/oauth/destoryToken', { access_token: '随便乱输入的内容haha' })).toEqual(DESTROYED);
    expect(await call(t.http, '/oauth/destoryToken', { access_token: accessToken })).toEqual(DESTROYED);
    expect(await call(t.http, '/oauth/destoryToken', { access_token: accessToken })).toEqual(DESTROYED);
    const other = await login(t.http);
    t.sb.clock.advance('86401s');
    expect(await call(t.http, '/usercenter/oauth/destoryToken', { access_token: other.accessToken })).toEqual(DESTROYED);
  });

  test.each([[{ access_token: '' }], [{ access_token: null }], [{}]])('empty, null or missing (%j) → status 0, "access_token is required"', async (body) => {
    expect(await call(t.http, '/oauth/destoryToken', body)).toEqual({ status: 0, msg: 'access_token is required' });
  });

  test('a form body and a wrong type', async () => {
    const { accessToken } = await login(t.http);
    const form = await t.http.post('/cas/oauth/destoryToken').type('form').send(`access_token=${accessToken}`);
    expect(form.body).toEqual(DESTROYED);
    expect(await call(t.http, '/user/getUserByToken', { accessToken })).toEqual({ status: 0, msg: USER_NOT_FOUND });
    expect(await call(t.http, '/oauth/destoryToken', { access_token: 42.5 })).toEqual(DESTROYED);
    expect(await call(t.http, '/oauth/destoryToken', { access_token: [accessToken] })).toEqual({
      status: 0,
      msg: `"access_token" must be a string, got an array ["${accessToken}"]`,
    });
    const long = 'x'.repeat(60);
    expect(await call(t.http, '/oauth/destoryToken', { access_token: { long } })).toEqual({
      status: 0,
      msg: `"access_token" must be a string, got an object {"long":"${'x'.repeat(28)}...`,
    });
  });
});

test('fixture destroyRevokesRefresh false: the refresh token outlives a destroy and refreshes at once', async () => {
  const s = await startTestSandbox({ fixtures: [new URL('./fixtures/destroy-keeps-refresh.json', import.meta.url).pathname] });
  try {
    const { accessToken, refreshToken } = await login(s.http);
    expect(await call(s.http, '/oauth/destoryToken', { access_token: accessToken })).toEqual({ status: 1, result: 'ok' });
    const refreshed = parseResult((await s.http.post('/oauth/refreshAccessToken').send({ refresh_token: refreshToken })).body);
    expect((await call(s.http, '/user/getUserByToken', { accessToken: refreshed.accessToken })).status).toBe(1);
  } finally {
    await s.close();
  }
});
