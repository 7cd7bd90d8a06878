import { usercenterMd5Password, usercenterShaPassword } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { CLIENT, JSON_UTF8, parseResult, passwordBody, SHORT_CLIENT, USER, USER2, UUID } from '../helpers/usercenter.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

describe('createAccessToken: POST /oauth/token with md5password + shapassword', () => {
  test('the seed body gets {"status":1,"result":"<JSON string>"} with UUID tokens and expires_in "86400"', async () => {
    const res = await t.http.post('/oauth/token').send(passwordBody());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body).toEqual({ status: 1, result: expect.any(String) });
    expect(Object.keys(res.body)).toEqual(['status', 'result']);
    const result = JSON.parse(res.body.result);
    expect(result).toEqual({ accessToken: expect.stringMatching(UUID), refreshToken: expect.stringMatching(UUID), expires_in: '86400' });
    expect(Object.keys(result)).toEqual(['accessToken', 'refreshToken', 'expires_in']);
    expect(result.accessToken).not.toBe(result.refreshToken);
    expect(res.text).toBe(`{"status":1,"result":${JSON.stringify(res.body.result)}}`);
  });

  test('the exported helpers are md5 and sha1 hex of the clear password', () => {
    expect(usercenterMd5Password('sandbox123')).toBe('6c0e1925dd6e8c994eeff5472c60a2a6');
    expect(usercenterShaPassword('sandbox123')).toBe('bffe974187985ef50507ae39e140e860db1d7282');
    expect(usercenterMd5Password('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(usercenterShaPassword('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });

  test.each([
    ['sys', 'clientId', 'md5Password', 'shaPassword'],
    ['sysId', 'client_id', 'md5password', 'shaPassword'],
    ['sysid', 'clientId', 'md5Password', 'shapassword'],
  ])('field spellings %s / %s / %s / %s are all accepted', async (sys, client, md5, sha) => {
    const body = {
      [sys]: CLIENT.sysid,
      username: USER.username,
      [client]: CLIENT.clientId,
      [md5]: usercenterMd5Password(USER.password),
      [sha]: usercenterShaPassword(USER.password),
    };
    const res = await t.http.post('/oauth/token').send(body);
    expect(parseResult(res.body).expires_in).toBe('86400');
  });

  test('a form body works as well as JSON, and a numeric client_id as well as a string', async () => {
    const form = await t.http
      .post('/oauth/token')
      .type('form')
      .send(new URLSearchParams(passwordBody() as Record<string, string>).toString());
    expect(parseResult(form.body).accessToken).toMatch(UUID);
    const numeric = await t.http.post('/oauth/token').send(passwordBody({ client_id: 23 }));
    expect(parseResult(numeric.body).accessToken).toMatch(UUID);
  });

  test('the user logs in by userCode, mobile or e-mail; upper-case hex is accepted', async () => {
    for (const username of [USER.username, USER.mobile, USER.email]) {
      const res = await t.http.post('/oauth/token').send(passwordBody({ username }));
      expect(parseResult(res.body).accessToken).toMatch(UUID);
    }
    const upper = await t.http.post('/oauth/token').send(passwordBody({ md5password: usercenterMd5Password(USER.password).toUpperCase() }));
    expect(parseResult(upper.body).accessToken).toMatch(UUID);
  });

  test('lifetimes are per client: client 37 gets expires_in "60"', async () => {
    const res = await t.http.post('/oauth/token').send(passwordBody({}, USER, SHORT_CLIENT));
    expect(parseResult(res.body).expires_in).toBe('60');
  });

  test.each(['/usercenter', '/cas', '/rest', '/usercenter/cas'])('the endpoint answers under %s too', async (prefix) => {
    const res = await t.http.post(`${prefix}/oauth/token`).send(passwordBody({}, USER2));
    expect(parseResult(res.body).accessToken).toMatch(UUID);
  });

  test('the journal records the request with both password hashes masked', async () => {
    await t.http.post('/oauth/token').send(passwordBody({ username: 'journal-probe' }));
    const [entry] = t.sb.requests({ platform: 'usercenter', endpoint: 'token', limit: 1 });
    expect(entry.request.body).toEqual({ sysid: 'aaaa', username: 'journal-probe', client_id: '23', md5password: '***', shapassword: '***' });
  });
});

describe('createAccessToken failures: status 0 (number), msg, code 400', () => {
  const failure = (msg: string) => ({ status: 0, msg, code: 400 });

  test.each([
    ['wrong md5password', { md5password: usercenterMd5Password('wrong') }],
    ['wrong shapassword', { shapassword: usercenterShaPassword('wrong') }],
    ['clear passwords instead of hashes', { md5password: USER.password, shapassword: USER.password }],
    ['an unknown user', { username: 'nobody' }],
    ["another user's password", { md5password: usercenterMd5Password(USER2.password), shapassword: usercenterShaPassword(USER2.password) }],
  ])('%s → "username or password is incorrect"', async (_name, overrides) => {
    const res = await t.http.post('/oauth/token').send(passwordBody(overrides));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(failure('username or password is incorrect'));
  });

  test.each([
    ['client_id', { client_id: undefined }],
    ['client_id', { client_id: '' }],
    ['client_id', { client_id: null }],
    ['username', { username: '' }],
    ['shapassword', { shapassword: undefined }],
    ['md5password', { md5password: '' }],
    ['validateCode (or md5password and shapassword)', { md5password: null, shapassword: undefined }],
  ])('missing %s → "<name> is required"', async (name, overrides) => {
    const res = await t.http.post('/oauth/token').send(passwordBody(overrides));
    expect(res.body).toEqual(failure(`${name} is required`));
  });

  test('garbage in every field and an empty body both fail with status 0', async () => {
    const garbage = await t.http
      .post('/oauth/token')
      .send({ sysid: '随便乱输入的内容haha', username: '随便乱输入的内容haha', client_id: '23', md5password: 'x', shapassword: 'y' });
    expect(garbage.body).toEqual(failure('username or password is incorrect'));
    const empty = await t.http.post('/oauth/token').send({ sysid: '', username: '', client_id: '', md5password: '', shapassword: '' });
    expect(empty.body).toEqual(failure('client_id is required'));
    const none = await t.http.post('/oauth/token').set('content-type', 'application/json').send('');
    expect(none.body).toEqual(failure('client_id is required'));
  });

  test('an unregistered client_id', async () => {
    const res = await t.http.post('/oauth/token').send(passwordBody({ client_id: '999' }));
    expect(res.body).toEqual(failure('client_id "999" is not registered'));
  });

  test("bad JSON, a JSON array, a text body and a wrong field type get UserCenter's shape, not a crash", async () => {
    const bad = await t.http.post('/oauth/token').set('content-type', 'application/json').send('{"username": "test",');
    expect(bad.status).toBe(200);
    expect(bad.body).toEqual({ status: 0, msg: expect.stringMatching(/^request body must be a JSON object \(or a form\): not valid JSON \(.+\)$/) });
    const array = await t.http.post('/oauth/token').send([1, 2]);
    expect(array.body).toEqual({ status: 0, msg: 'request body must be a JSON object (or a form): got an array [1,2]' });
    const text = await t.http.post('/oauth/token').set('content-type', 'text/plain').send('hello');
    expect(text.body).toEqual({ status: 0, msg: 'request body must be a JSON object (or a form): got a text/plain body that is neither JSON nor a form' });
    const typed = await t.http.post('/oauth/token').send(passwordBody({ username: { name: 'test' } }));
    expect(typed.body).toEqual({ status: 0, msg: '"username" must be a string, got an object {"name":"test"}' });
    const bool = await t.http.post('/oauth/token').send(passwordBody({ md5password: true }));
    expect(bool.body).toEqual({ status: 0, msg: '"md5password" must be a string, got a boolean true' });
  });
});

test("a body over the limit gets UserCenter's shape with HTTP 413", async () => {
  const res = await t.http.post('/oauth/token').send(passwordBody({ username: 'x'.repeat(1024 * 1024) }));
  expect(res.status).toBe(413);
  expect(res.body).toEqual({ status: 0, msg: 'request body is too large' });
});

describe('fixture switches', () => {
  test('generation "data" answers {"status":1,"data":{"access_token","refresh_token"}}', async () => {
    const d = await startTestSandbox({ fixtures: [fixture('data-generation.json')] });
    try {
      const res = await d.http.post('/oauth/token').send(passwordBody());
      expect(res.body).toEqual({ status: 1, data: { access_token: expect.stringMatching(UUID), refresh_token: expect.stringMatching(UUID) } });
    } finally {
      await d.close();
    }
  });

  test('checkSysid, per-client generation, users restricted to clients, and overridden error texts', async () => {
    const s = await startTestSandbox({ fixtures: [fixture('strict.json')] });
    try {
      const wrongSys = await s.http.post('/oauth/token').send(passwordBody({ client_id: '41', sysid: 'aaaa' }));
      expect(wrongSys.body).toEqual({ status: 0, msg: 'sysid "aaaa" does not belong to this client_id', code: 400 });
      const noSys = await s.http.post('/oauth/token').send(passwordBody({ client_id: '41', sysid: undefined }));
      expect(noSys.body).toEqual({ status: 0, msg: 'sysid "" does not belong to this client_id', code: 400 });
      const ok = await s.http.post('/oauth/token').send(passwordBody({ client_id: '41', sys: 'ipu', sysid: undefined }));
      expect(ok.body).toEqual({ status: 1, data: { access_token: expect.stringMatching(UUID), refresh_token: expect.stringMatching(UUID) } });
      const otherClient = await s.http.post('/oauth/token').send(passwordBody());
      expect(otherClient.body).toEqual({ status: 0, msg: '用户名或密码错误', code: '400' });
      const unknown = await s.http.post('/oauth/token').send(passwordBody({ client_id: '23x' }));
      expect(unknown.body).toEqual({ status: 0, msg: 'client_id "23x" is not registered' });
    } finally {
      await s.close();
    }
  });
});
