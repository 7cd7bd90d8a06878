import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { call, login, USER, USER2, USER_NOT_FOUND, UUID } from '../helpers/usercenter.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const INVALID = { status: 0, msg: 'accessToken is invalid or expired' };
const TEST_USER = {
  userId: USER.userId,
  userCode: 'test',
  userName: 'test',
  userMobile: '188****2841',
  userEmail: 'te****@example.com',
  userAvator: '',
  status: 1,
  registerDate: '2019-11-08 10:00:00',
};

describe('checkOauthToken: POST /user/checkOauthToken {"accessToken"}', () => {
  test('a live token → {"status":1,"result":"true"}; access_token spelling too', async () => {
    const { accessToken } = await login(t.http);
    expect(await call(t.http, '/user/checkOauthToken', { accessToken })).toEqual({ status: 1, result: 'true' });
    expect(await call(t.http, '/cas/user/checkOauthToken', { access_token: accessToken })).toEqual({ status: 1, result: 'true' });
  });

  test('garbage, a refresh token and an expired token → status 0', async () => {
    const { accessToken, refreshToken } = await login(t.http);
    expect(await call(t.http, '/user/checkOauthToken', { accessToken: '随便乱输入的内容haha' })).toEqual(INVALID);
    expect(await call(t.http, '/user/checkOauthToken', { accessToken: refreshToken })).toEqual(INVALID);
    t.sb.clock.advance('86401s');
    expect(await call(t.http, '/user/checkOauthToken', { accessToken })).toEqual(INVALID);
  });

  test.each([[{ accessToken: '' }], [{ accessToken: null }], [{}]])('empty, null or missing (%j) → "accessToken is required"', async (body) => {
    expect(await call(t.http, '/user/checkOauthToken', body)).toEqual({ status: 0, msg: 'accessToken is required' });
  });
});

describe('getUserByToken: POST /user/getUserByToken {"accessToken"}', () => {
  test('{"status":1,"user":{...}} with the documented fields, mobile and e-mail masked', async () => {
    const { accessToken } = await login(t.http);
    const body = await call(t.http, '/user/getUserByToken', { accessToken });
    expect(body).toEqual({ status: 1, user: TEST_USER });
    expect(Object.keys(body.user as object)).toEqual(Object.keys(TEST_USER));
  });

  test('another user, logged in through /rest', async () => {
    const res = await t.http.post('/rest/oauth/token').send({
      sysid: 'yht',
      username: '13900001234',
      client_id: '37',
      md5password: '47b7bfb65fa83ac9a71dcb0f6296bb6e',
      shapassword: 'f4a69973e7b0bf9d160f9f60e3c3acd2494beb0d',
    });
    const accessToken = JSON.parse(res.body.result).accessToken as string;
    expect(await call(t.http, '/rest/user/getUserByToken', { access_token: accessToken })).toEqual({
      status: 1,
      user: {
        userId: USER2.userId,
        userCode: 'zhangsan',
        userName: '张三',
        userMobile: '139****1234',
        userEmail: 'zh****@example.com',
        userAvator: '',
        status: 1,
        registerDate: '2020-03-15 09:30:00',
      },
    });
  });

  test('garbage and expired tokens → status 0, "can not find user by accesstoken " (trailing space)', async () => {
    const { accessToken } = await login(t.http);
    expect(await call(t.http, '/user/getUserByToken', { accessToken: '随便乱输入的内容haha' })).toEqual({ status: 0, msg: USER_NOT_FOUND });
    t.sb.clock.advance('86399s');
    expect((await call(t.http, '/user/getUserByToken', { accessToken })).status).toBe(1);
    t.sb.clock.advance('1s');
    const expired = await t.http.post('/user/getUserByToken').send({ accessToken });
    expect(expired.text).toBe('{"status":0,"msg":"can not find user by accesstoken "}');
  });

  test('empty → status 0, "accessToken is required"', async () => {
    expect(await call(t.http, '/user/getUserByToken', { accessToken: '' })).toEqual({ status: 0, msg: 'accessToken is required' });
  });
});

describe('genTokenByAccessToken: POST /oauth/getTempToken {"accessToken"}', () => {
  test('a live token → {"status":1,"result":"<uuid>"}, a temp token valid 300 s', async () => {
    const { accessToken } = await login(t.http);
    const body = await call(t.http, '/oauth/getTempToken', { accessToken });
    expect(body).toEqual({ status: 1, result: expect.stringMatching(UUID) });
    const tokens = await t.http.get('/__sandbox/tokens?platform=usercenter&kind=temp');
    const temp = tokens.body.tokens.find((r: { value: string }) => r.value === body.result);
    expect(temp).toMatchObject({ kind: 'temp', subject: USER.userId, appId: '23', ttl: 300, state: 'active', data: { accessToken } });
    t.sb.clock.advance('301s');
    const later = await t.http.get('/__sandbox/tokens?platform=usercenter&kind=temp&state=expired');
    expect(later.body.tokens.map((r: { value: string }) => r.value)).toContain(body.result);
  });

  test('two calls give two different temp tokens', async () => {
    const { accessToken } = await login(t.http);
    const a = await call(t.http, '/oauth/getTempToken', { accessToken });
    const b = await call(t.http, '/oauth/getTempToken', { access_token: accessToken });
    expect(a.result).not.toBe(b.result);
  });

  test('garbage, expired and empty → status 0', async () => {
    const { accessToken } = await login(t.http);
    expect(await call(t.http, '/oauth/getTempToken', { accessToken: '随便乱输入的内容haha' })).toEqual(INVALID);
    expect(await call(t.http, '/oauth/getTempToken', { accessToken: '' })).toEqual({ status: 0, msg: 'accessToken is required' });
    t.sb.clock.advance('86401s');
    expect(await call(t.http, '/oauth/getTempToken', { accessToken })).toEqual(INVALID);
  });
});

test('fixture: profile fields over the user object, temp lifetime and the check text', async () => {
  const s = await startTestSandbox({ fixtures: [new URL('./fixtures/profile.json', import.meta.url).pathname] });
  try {
    const { accessToken } = await login(s.http);
    expect(await call(s.http, '/user/getUserByToken', { accessToken })).toEqual({
      status: 1,
      user: {
        userId: USER.userId,
        userCode: 'test',
        userName: 'test',
        userMobile: '18812342841',
        userEmail: null,
        userAvator: '',
        status: 1,
        registerDate: '2019-01-01 00:00:00',
        tenantId: 'o2hgbgdt',
      },
    });
    expect(await call(s.http, '/user/checkOauthToken', { accessToken })).toEqual({ status: 1, result: 'accessToken is valid' });
    const temp = await call(s.http, '/oauth/getTempToken', { accessToken });
    const tokens = await s.http.get('/__sandbox/tokens?platform=usercenter&kind=temp');
    expect(tokens.body.tokens.find((r: { value: string }) => r.value === temp.result).ttl).toBe(30);
  } finally {
    await s.close();
  }
});
