import { mantunClientSecret, mantunSign, mantunTimestamp } from '../../src/index.js';
import { MANTUN_ERRORS } from '../../src/platforms/mantun/errors.js';
import { startTestSandbox, testFixture, type TestSandbox } from '../helpers/sandbox.js';
import { APP, form, getCode, getTokens, PROJECT, refreshParams, routerParams, tokenParams, USER } from '../helpers/mantun.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const post = (path: string, params: Record<string, string>) => t.http.post(path).type('form').send(form(params));
const authParams = (over: Record<string, string> = {}) => ({
  response_type: 'code',
  client_id: APP.appKey,
  redirect_uri: APP.redirectUri,
  uname: USER.uname,
  passwd: USER.passwd,
  ...over,
});
const failure = (code: string, message: string) => ({ success: false, code, message });

describe('authverify2.as failures: "success" is the boolean false, which every public client reads as a failure', () => {
  test.each([
    ['wrong passwd', { passwd: 'nope' }, '10004', 'uname or passwd is incorrect'],
    ['unknown uname', { uname: 'nobody' }, '10004', 'uname or passwd is incorrect'],
    ['unknown client_id', { client_id: 'O999999999' }, '10005', 'unknown client_id: O999999999'],
    [
      'redirect_uri not the registered one',
      { redirect_uri: 'http://evil.example/cb' },
      '10006',
      'redirect_uri does not match the one registered for this client',
    ],
    ['response_type not code', { response_type: 'token' }, '10002', 'response_type must be "code"'],
    ['missing passwd', { passwd: '' }, '10001', 'invalid request: missing parameter passwd'],
  ])('%s', async (_name, over, code, message) => {
    const res = await post('/oauth/authverify2.as', authParams(over));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: false, code, message });
  });
});

describe('token.as failures', () => {
  test('unknown client_id', async () => {
    const code = await getCode(t.http);
    expect((await post('/oauth/token.as', tokenParams(code, { client_id: 'O999999999' }))).body).toEqual(failure('10005', 'unknown client_id: O999999999'));
  });

  test('wrong client_secret (the appSecret itself is not the client_secret)', async () => {
    const code = await getCode(t.http);
    const res = await post('/oauth/token.as', tokenParams(code, { client_secret: APP.appSecret }));
    expect(res.body).toEqual(failure('10007', 'client_secret is wrong: expected md5(client_id + grant_type + redirect_uri + code + appSecret)'));
    // The failed attempt did not spend the code.
    expect((await post('/oauth/token.as', tokenParams(code))).body.success).toBe(true);
  });

  test('redirect_uri not the registered one', async () => {
    const code = await getCode(t.http);
    const redirect = 'http://other/cb';
    const res = await post(
      '/oauth/token.as',
      tokenParams(code, { redirect_uri: redirect, client_secret: mantunClientSecret(APP.appKey, 'authorization_code', redirect, code, APP.appSecret) }),
    );
    expect(res.body).toEqual(failure('10006', 'redirect_uri does not match the one registered for this client'));
  });

  test('unsupported grant_type', async () => {
    const res = await post('/oauth/token.as', tokenParams('abc', { grant_type: 'password' }));
    expect(res.body).toEqual(failure('10003', 'unsupported grant_type: password'));
  });

  test('unknown code', async () => {
    const res = await post('/oauth/token.as', tokenParams('0123456789abcdef0123456789abcdef'));
    expect(res.body).toEqual(failure('10010', 'code is invalid'));
  });

  test('reused code', async () => {
    const code = await getCode(t.http);
    expect((await post('/oauth/token.as', tokenParams(code))).body.success).toBe(true);
    expect((await post('/oauth/token.as', tokenParams(code))).body).toEqual(failure('10011', 'code has already been used'));
  });

  test('expired code (codes live 600 s)', async () => {
    const code = await getCode(t.http);
    t.sb.clock.advance('601s');
    expect((await post('/oauth/token.as', tokenParams(code))).body).toEqual(failure('10012', 'code has expired'));
  });

  test('missing parameters are named', async () => {
    const res = await post('/oauth/token.as', { client_id: APP.appKey, redirect_uri: APP.redirectUri, grant_type: 'authorization_code' });
    expect(res.body).toEqual(failure('10001', 'invalid request: missing parameters client_secret, code'));
  });
});

describe('refresh.as failures', () => {
  test('unknown refresh token', async () => {
    expect((await post('/oauth/refresh.as', refreshParams('0123456789abcdef0123456789abcdef'))).body).toEqual(failure('10020', 'refresh_token is invalid'));
  });

  test('wrong client_secret', async () => {
    const { refreshToken } = await getTokens(t.http);
    const res = await post('/oauth/refresh.as', refreshParams(refreshToken, { client_secret: '0'.repeat(32) }));
    expect(res.body).toEqual(failure('10007', 'client_secret is wrong: expected md5(client_id + grant_type + redirect_uri + refresh_token + appSecret)'));
  });

  test('used refresh token', async () => {
    const { refreshToken } = await getTokens(t.http);
    expect((await post('/oauth/refresh.as', refreshParams(refreshToken))).body.success).toBe(true);
    expect((await post('/oauth/refresh.as', refreshParams(refreshToken))).body).toEqual(failure('10021', 'refresh_token has already been used'));
  });

  test('expired refresh token (30 days)', async () => {
    const { refreshToken } = await getTokens(t.http);
    t.sb.clock.advance('30d');
    expect((await post('/oauth/refresh.as', refreshParams(refreshToken))).body).toEqual(failure('10022', 'refresh_token has expired'));
  });

  test('grant_type must be refresh_token', async () => {
    const { refreshToken } = await getTokens(t.http);
    expect((await post('/oauth/refresh.as', refreshParams(refreshToken, { grant_type: 'authorization_code' }))).body).toEqual(
      failure('10003', 'unsupported grant_type: authorization_code'),
    );
  });
});

describe('router.as failures', () => {
  const call = (params: Record<string, string>) => post('/invoke/router.as', params);

  test('unknown access token', async () => {
    expect((await call(routerParams('0123456789abcdef0123456789abcdef', 'GET_PROJECTS', t.sb.clock.now()))).body).toEqual(
      failure('10030', 'access_token is invalid'),
    );
  });

  test('expired access token', async () => {
    const { accessToken } = await getTokens(t.http);
    t.sb.clock.advance('3601s');
    expect((await call(routerParams(accessToken, 'GET_PROJECTS', t.sb.clock.now()))).body).toEqual(failure('10031', 'access_token has expired'));
  });

  test('bad sign', async () => {
    const { accessToken } = await getTokens(t.http);
    const params = routerParams(accessToken, 'GET_PROJECTS', t.sb.clock.now());
    expect((await call({ ...params, sign: params.sign.replace(/^./, (c) => (c === '0' ? '1' : '0')) })).body).toEqual(
      failure('10040', 'sign is wrong: expected md5(values of all other params sorted by name + appSecret)'),
    );
  });

  test('a param added after signing breaks the sign', async () => {
    const { accessToken } = await getTokens(t.http);
    const params = routerParams(accessToken, 'GET_BOXES', t.sb.clock.now());
    expect((await call({ ...params, projectCode: PROJECT })).body.code).toBe('10040');
  });

  test.each([
    ['11 minutes old', -11 * 60_000],
    ['11 minutes ahead', 11 * 60_000],
  ])('stale timestamp, with the fixture’s 600 s window on: %s', async (_name, skew) => {
    const windowed = await startTestSandbox({ fixtures: [testFixture('mantun-timestamp-window.json')] });
    try {
      const { accessToken } = await getTokens(windowed.http);
      const res = await windowed.http
        .post('/invoke/router.as')
        .type('form')
        .send(form(routerParams(accessToken, 'GET_PROJECTS', windowed.sb.clock.now() + skew)));
      expect(res.body).toEqual(failure('10041', 'timestamp is missing, malformed (yyyyMMddHHmmss) or too far from server time'));
    } finally {
      await windowed.close();
    }
  });

  test('malformed timestamp', async () => {
    const { accessToken } = await getTokens(t.http);
    const params: Record<string, string> = { client_id: APP.appKey, method: 'GET_PROJECTS', access_token: accessToken, timestamp: '2017-05-04 16:04:10' };
    params.sign = mantunSign(params, APP.appSecret);
    expect((await call(params)).body.code).toBe('10041');
  });

  test('unknown method', async () => {
    const { accessToken } = await getTokens(t.http);
    expect((await call(routerParams(accessToken, 'GET_EVERYTHING', t.sb.clock.now()))).body).toEqual(failure('10042', 'unknown method: GET_EVERYTHING'));
    expect((await call(routerParams(accessToken, 'constructor', t.sb.clock.now()))).body).toEqual(failure('10042', 'unknown method: constructor'));
  });

  test('unknown client_id', async () => {
    const params: Record<string, string> = { client_id: 'O999999999', method: 'GET_PROJECTS', access_token: 'x', timestamp: mantunTimestamp(t.sb.clock.now()) };
    params.sign = mantunSign(params, APP.appSecret);
    expect((await call(params)).body).toEqual(failure('10005', 'unknown client_id: O999999999'));
  });

  test('missing params, including everything when the body is JSON', async () => {
    const res = await t.http.post('/invoke/router.as').set('content-type', 'application/json').send('{"method":"GET_PROJECTS"}');
    expect(res.body).toEqual(failure('10001', 'invalid request: missing parameters client_id, method, access_token, timestamp, sign'));
  });

  test('unknown project and box', async () => {
    const { accessToken } = await getTokens(t.http);
    expect((await call(routerParams(accessToken, 'GET_BOXES', t.sb.clock.now(), { projectCode: 'P404' }))).body).toEqual(
      failure('10043', 'not found: projectCode P404'),
    );
    expect((await call(routerParams(accessToken, 'GET_BOX', t.sb.clock.now(), { mac: 'FFFF' }))).body).toEqual(failure('10043', 'not found: mac FFFF'));
  });
});

describe('error catalogue overrides from fixtures', () => {
  let custom: TestSandbox;
  beforeAll(async () => {
    custom = await startTestSandbox({ fixtures: [new URL('../fixtures/mantun-error-overrides.json', import.meta.url).pathname] });
  });
  afterAll(() => custom.close());

  test('a kind can take another code, text and HTTP status', async () => {
    const res = await custom.http
      .post('/invoke/router.as')
      .type('form')
      .send(form(routerParams('0'.repeat(32), 'GET_PROJECTS', custom.sb.clock.now())));
    expect(res.status).toBe(401);
    expect(res.body).toEqual(failure('401', 'token 无效'));
  });
});

describe('every default refusal reads as a failure and its code as no success and no authorization code', () => {
  test.each(MANTUN_ERRORS.kinds.map((k) => [k, MANTUN_ERRORS.entries[k]!.code]))('%s answers code %s', (_kind, code) => {
    expect(code).not.toBe('0');
    expect(code).not.toMatch(/^[0-9a-f]{32}$/i);
    expect(code).toMatch(/^[1-9]\d*$/);
  });
});
