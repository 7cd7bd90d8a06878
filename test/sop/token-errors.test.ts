import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { createPublicKey, verify } from 'node:crypto';
import { gatewayParams, getCode, getTokens, HEX32, PLATFORM_PUBLIC_KEY, postGateway, signedNode, tokenBiz } from '../helpers/sop.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const KEY = 'open_auth_token_app_response';
const REQUEST_ID = expect.stringMatching(HEX32);

const tokenApp = (biz: Record<string, string>, headers: Record<string, string> = {}) =>
  postGateway(t.http, gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz(biz)), headers);

/**
 * docs/platforms/sop.md#openauthtokenapp: SOP reports a bad code or token as success (10000) with an OAuth error
 * inside the node, and the auth service's -1 lifetimes with it.
 */
const oauthError = (error: string, description: string) => ({
  code: '10000',
  msg: 'Success',
  error,
  error_description: description,
  expires_in: -1,
  re_expires_in: -1,
  request_id: REQUEST_ID,
});

/**
 * The node's exact text, field for field as the gateway writes it, and its signature checked the way the SOP
 * Java SDK cuts the node (OpenClient: from two characters past the node's name to just before `"sign"`).
 */
function expectTokenErrorText(text: string, error: string, description: string): void {
  expect(text).toMatch(
    new RegExp(
      `^\\{"${KEY}":\\{"request_id":"[0-9a-f]{32}","msg":"Success","code":"10000","re_expires_in":-1,"error_description":"${description}","error":"${error}","expires_in":-1\\},"sign":"[A-Za-z0-9+/=]+"\\}$`,
    ),
  );
  const start = text.indexOf(KEY) + KEY.length + 2;
  const cut = text.substring(start, text.indexOf('"sign"') - 1);
  const sign = (JSON.parse(text) as { sign: string }).sign;
  expect(
    verify(
      'sha256',
      Buffer.from(cut, 'utf8'),
      createPublicKey({ key: Buffer.from(PLATFORM_PUBLIC_KEY, 'base64'), format: 'der', type: 'spki' }),
      Buffer.from(sign, 'base64'),
    ),
  ).toBe(true);
}

describe('open.auth.token.app service errors, each signed', () => {
  test('missing grant_type → 40004 isv.invalid-parameter 授权类型不能为空', async () => {
    const res = await tokenApp({ code: 'whatever' });
    expect(res.body).toEqual({
      [KEY]: { code: '40004', msg: '业务处理失败', sub_code: 'isv.invalid-parameter', sub_msg: '授权类型不能为空', request_id: REQUEST_ID },
      sign: expect.any(String),
    });
    signedNode(res, KEY);
  });

  test('missing grant_type in English', async () => {
    const res = await tokenApp({}, { 'accept-language': 'en' });
    expect(res.body[KEY]).toEqual({
      code: '40004',
      msg: 'Business processing failure',
      sub_code: 'isv.invalid-parameter',
      sub_msg: 'The grant type must not be empty',
      request_id: REQUEST_ID,
    });
  });

  test('biz_content that is not JSON, or absent, has no grant_type either', async () => {
    for (const extra of [{ biz_content: 'grant_type=authorization_code' }, {}] as Record<string, string>[]) {
      const res = await postGateway(t.http, gatewayParams('open.auth.token.app', t.sb.clock.now(), extra));
      expect(res.body[KEY]).toEqual({
        code: '40004',
        msg: '业务处理失败',
        sub_code: 'isv.invalid-parameter',
        sub_msg: '授权类型不能为空',
        request_id: REQUEST_ID,
      });
    }
  });

  test('unknown code → invalid_request / invalid request', async () => {
    const res = await tokenApp({ grant_type: 'authorization_code', code: '0123456789abcdef0123456789abcdef' });
    expect(res.body).toEqual({ [KEY]: oauthError('invalid_request', 'invalid request'), sign: expect.any(String) });
    expectTokenErrorText(res.text, 'invalid_request', 'invalid request');
  });

  test('empty code → invalid_request', async () => {
    const res = await tokenApp({ grant_type: 'authorization_code', code: '' });
    expect(res.body[KEY]).toEqual(oauthError('invalid_request', 'invalid request'));
  });

  test('a code is single-use by default: the second exchange → invalid_request', async () => {
    const code = await getCode(t.http);
    expect((await tokenApp({ grant_type: 'authorization_code', code })).body[KEY].code).toBe('10000');
    expect((await tokenApp({ grant_type: 'authorization_code', code })).body[KEY]).toEqual(oauthError('invalid_request', 'invalid request'));
  });

  test('a code lives 24 h: at 24 h it is expired → invalid_request', async () => {
    const fresh = await getCode(t.http);
    const old = await getCode(t.http);
    t.sb.clock.advance('23h');
    expect((await tokenApp({ grant_type: 'authorization_code', code: fresh })).body[KEY].code).toBe('10000');
    t.sb.clock.advance('1h');
    expect((await tokenApp({ grant_type: 'authorization_code', code: old })).body[KEY]).toEqual(oauthError('invalid_request', 'invalid request'));
  });

  test('empty refresh_token → expired_token / expired token', async () => {
    const res = await tokenApp({ grant_type: 'refresh_token', refresh_token: '' });
    expect(res.body[KEY]).toEqual(oauthError('expired_token', 'expired token'));
    expectTokenErrorText(res.text, 'expired_token', 'expired token');
  });

  test('unknown refresh_token → invalid_token / invalid token', async () => {
    const res = await tokenApp({ grant_type: 'refresh_token', refresh_token: '0123456789abcdef0123456789abcdef' });
    expect(res.body[KEY]).toEqual(oauthError('invalid_token', 'invalid token'));
    expectTokenErrorText(res.text, 'invalid_token', 'invalid token');
  });

  test('a refresh token already exchanged is dead → invalid_token', async () => {
    const tokens = await getTokens(t.http, t.sb.clock.now());
    expect((await tokenApp({ grant_type: 'refresh_token', refresh_token: tokens.app_refresh_token })).body[KEY].code).toBe('10000');
    expect((await tokenApp({ grant_type: 'refresh_token', refresh_token: tokens.app_refresh_token })).body[KEY]).toEqual(
      oauthError('invalid_token', 'invalid token'),
    );
  });

  test('any other grant_type → invalid_grant / invalid grant', async () => {
    const res = await tokenApp({ grant_type: 'client_credentials' });
    expect(res.body[KEY]).toEqual(oauthError('invalid_grant', 'invalid grant'));
    expectTokenErrorText(res.text, 'invalid_grant', 'invalid grant');
  });
});
