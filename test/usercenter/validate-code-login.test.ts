import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { CLIENT, parseResult, USER, USER2, UUID } from '../helpers/usercenter.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const WRONG_CODE = { status: 0, msg: 'validateCode is incorrect', code: 400 };
const codeBody = (username: string, code: string, key = 'validateCode') => ({ sysid: CLIENT.sysid, username, client_id: CLIENT.clientId, [key]: code });
const setCode = (body: unknown) => t.http.post('/__sandbox/usercenter/validate-code').send(body as object);

describe('createAccessTokenByValidateCode: POST /oauth/token with a validate code', () => {
  test('the official example body, "validateCode " with its trailing space, works verbatim', async () => {
    const res = await t.http
      .post('/oauth/token')
      .set('content-type', 'application/json')
      .send('{"sysid": "aaaa","username": "test","client_id": "23","validateCode ": "2233"}');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 1, result: expect.any(String) });
    expect(JSON.parse(res.body.result)).toEqual({ accessToken: expect.stringMatching(UUID), refreshToken: expect.stringMatching(UUID), expires_in: '86400' });
  });

  test('"validateCode" without the space, as a form too; the fixture code works every time', async () => {
    for (let i = 0; i < 2; i++) {
      const json = await t.http.post('/oauth/token').send(codeBody(USER.username, USER.validateCode));
      expect(parseResult(json.body).accessToken).toMatch(UUID);
    }
    const form = await t.http.post('/oauth/token').type('form').send(`sys=aaaa&username=${USER.mobile}&clientId=23&validateCode+=2233`);
    expect(parseResult(form.body).accessToken).toMatch(UUID);
  });

  test.each([
    ['a wrong code', USER.username, '9999'],
    ["another user's code on a user without one", USER2.username, USER.validateCode],
    ['an unknown user', 'nobody', USER.validateCode],
  ])('%s → status 0, code 400, "validateCode is incorrect"', async (_name, username, code) => {
    const res = await t.http.post('/oauth/token').send(codeBody(username, code));
    expect(res.body).toEqual(WRONG_CODE);
  });

  test('no code and no passwords → the missing credentials are named', async () => {
    const res = await t.http.post('/oauth/token').send(codeBody(USER.username, ''));
    expect(res.body).toEqual({ status: 0, msg: 'validateCode (or md5password and shapassword) is required', code: 400 });
    const typed = await t.http.post('/oauth/token').send({ ...codeBody(USER.username, ''), 'validateCode ': ['2233'] });
    expect(typed.body).toEqual({ status: 0, msg: '"validateCode " must be a string, got an array ["2233"]' });
  });
});

describe('POST /__sandbox/usercenter/validate-code sets the next code (the SMS the real service would send)', () => {
  test('the set code logs the user in once; then it is spent, and the fixture code still works', async () => {
    const set = await setCode({ username: USER2.username, code: '481516' });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      username: 'zhangsan',
      userId: USER2.userId,
      code: '481516',
      message: 'The next validateCode for "zhangsan" is 481516; it works once.',
    });
    const pending = await t.http.get('/__sandbox/usercenter/validate-code');
    expect(pending.body).toEqual({ codes: [{ userId: USER2.userId, username: 'zhangsan', code: '481516' }] });

    const first = await t.http.post('/oauth/token').send(codeBody('zhangsan@example.com', '481516', 'validateCode '));
    expect(parseResult(first.body).accessToken).toMatch(UUID);
    const again = await t.http.post('/oauth/token').send(codeBody(USER2.username, '481516'));
    expect(again.body).toEqual(WRONG_CODE);
    expect((await t.http.get('/__sandbox/usercenter/validate-code')).body).toEqual({ codes: [] });

    await setCode({ username: USER.mobile, code: 7777 });
    const fixtureCode = await t.http.post('/oauth/token').send(codeBody(USER.username, USER.validateCode));
    expect(parseResult(fixtureCode.body).accessToken).toMatch(UUID);
    const numeric = await t.http.post('/oauth/token').send({ ...codeBody(USER.username, ''), validateCode: 7777 });
    expect(parseResult(numeric.body).accessToken).toMatch(UUID);
  });

  test('without "code" a random 6-digit code is set and returned', async () => {
    const set = await setCode({ username: USER2.username });
    expect(set.body).toEqual({ username: 'zhangsan', userId: USER2.userId, code: expect.stringMatching(/^\d{6}$/), message: expect.any(String) });
    const res = await t.http.post('/oauth/token').send(codeBody(USER2.username, set.body.code));
    expect(parseResult(res.body).accessToken).toMatch(UUID);
  });

  test.each([
    ['no JSON object', undefined, 400, 'invalid_request', 'Send a JSON object (Content-Type: application/json) such as {"username":"test","code":"123456"}.'],
    ['an array', [1], 400, 'invalid_request', 'Send a JSON object (Content-Type: application/json) such as {"username":"test","code":"123456"}.'],
    [
      'an unknown field',
      { username: 'test', code: '1', phone: 'x' },
      400,
      'invalid_request',
      'Unknown field(s) phone: send only "username" and "code", e.g. {"username":"test","code":"123456"}.',
    ],
    [
      'no username',
      { code: '1234' },
      400,
      'invalid_request',
      '"username" must be the login name of a usercenter user (userCode, userName, mobile or e-mail), e.g. {"username":"test","code":"123456"}; users: "test", "zhangsan".',
    ],
    [
      'an unknown user',
      { username: 'nobody', code: '1234' },
      404,
      'unknown_user',
      'No usercenter user logs in as "nobody". Users: "test", "zhangsan" (or their userName, mobile or e-mail).',
    ],
    [
      'a code with spaces',
      { username: 'test', code: '12 34' },
      400,
      'invalid_request',
      '"code" must be 1 to 32 letters or digits such as "123456" (leave it out for a random 6-digit code), got "12 34".',
    ],
    [
      'an empty code',
      { username: 'test', code: '' },
      400,
      'invalid_request',
      '"code" must be 1 to 32 letters or digits such as "123456" (leave it out for a random 6-digit code), got "".',
    ],
    [
      'an object code',
      { username: 'test', code: { a: 1 } },
      400,
      'invalid_request',
      '"code" must be 1 to 32 letters or digits such as "123456" (leave it out for a random 6-digit code), got {"a":1}.',
    ],
  ])('%s is refused with a clear JSON error', async (_name, body, status, error, message) => {
    const res = body === undefined ? await t.http.post('/__sandbox/usercenter/validate-code') : await setCode(body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error, message });
  });

  test("malformed JSON gets the control plane's JSON error", async () => {
    const res = await t.http.post('/__sandbox/usercenter/validate-code').set('content-type', 'application/json').send('{"username":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', message: expect.stringMatching(/^The body is not valid JSON: /) });
  });

  test('POST /__sandbox/reset forgets pending codes', async () => {
    await setCode({ username: USER2.username, code: '1111' });
    await t.http.post('/__sandbox/reset');
    expect((await t.http.get('/__sandbox/usercenter/validate-code')).body).toEqual({ codes: [] });
    expect((await t.http.post('/oauth/token').send(codeBody(USER2.username, '1111'))).body).toEqual(WRONG_CODE);
  });
});

test('fixture fixedValidateCode: one sandbox code every user may log in with', async () => {
  const s = await startTestSandbox({ fixtures: [new URL('./fixtures/fixed-code.json', import.meta.url).pathname] });
  try {
    for (const username of [USER.username, USER2.username]) {
      const res = await s.http.post('/oauth/token').send(codeBody(username, '000000'));
      expect(parseResult(res.body).accessToken).toMatch(UUID);
    }
    expect((await s.http.post('/oauth/token').send(codeBody(USER2.username, '000001'))).body).toEqual(WRONG_CODE);
  } finally {
    await s.close();
  }
});
