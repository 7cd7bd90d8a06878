import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { form, gatewayParams, getCode, getTokens, HEX32, postGateway, signedNode, tokenBiz, APP, REDIRECT_URI, USER } from '../helpers/sop.js';
import { networkError } from './support.js';

/**
 * The built-in scenarios on SOP. Not applicable here: callback-url-missing (Mantun's);
 * refresh-response-lost is in fault-rule-matchers.test.ts; the clock scenarios are platform-neutral (expiry.test.ts).
 */
let t: TestSandbox;

const exchangeIn = (sandbox: TestSandbox, code: string) =>
  postGateway(sandbox.http, gatewayParams('open.auth.token.app', sandbox.sb.clock.now(), tokenBiz({ grant_type: 'authorization_code', code })));
afterEach(() => t.close());

const start = async (scenario: string | string[] = []) => {
  t = await startTestSandbox({ scenario });
};
const METHOD = 'sandbox.merchant.info.get';
const KEY = 'sandbox_merchant_info_get_response';
const TOKEN_KEY = 'open_auth_token_app_response';
const MERCHANT = {
  code: '10000',
  msg: 'Success',
  merchant_name: 'Sandbox demo merchant',
  merchant_no: 'M0000000001',
  request_id: expect.stringMatching(HEX32),
};
const TIME_OUT = { code: '20001', msg: '授权权限不足', sub_code: 'aop.app-auth-token-time-out', sub_msg: '应用授权令牌已过期' };
const INVALID = { code: '20001', msg: '授权权限不足', sub_code: 'aop.invalid-app-auth-token', sub_msg: '无效的应用授权令牌' };
const INVALID_TOKEN = {
  code: '10000',
  msg: 'Success',
  error: 'invalid_token',
  error_description: 'invalid token',
  expires_in: -1,
  re_expires_in: -1,
  request_id: expect.stringMatching(HEX32),
};
const pair = (expires_in: number, re_expires_in: number) => ({
  code: '10000',
  msg: 'Success',
  app_auth_token: expect.stringMatching(HEX32),
  app_refresh_token: expect.stringMatching(HEX32),
  user_id: USER.userId,
  expires_in,
  re_expires_in,
  request_id: expect.stringMatching(HEX32),
});

const now = () => t.sb.clock.now();
const merchant = (token: string) => postGateway(t.http, gatewayParams(METHOD, now(), { app_auth_token: token }));
const exchange = (code: string) => postGateway(t.http, gatewayParams('open.auth.token.app', now(), tokenBiz({ grant_type: 'authorization_code', code })));
const refresh = (token: string) =>
  postGateway(t.http, gatewayParams('open.auth.token.app', now(), tokenBiz({ grant_type: 'refresh_token', refresh_token: token })));

describe('lifetimes', () => {
  test('expiry-fast: expires_in 5, then the token times out (SOP tokens never expire otherwise)', async () => {
    await start('expiry-fast');
    const res = await exchange(await getCode(t.http));
    expect(res.body[TOKEN_KEY]).toEqual(pair(5, -3));
    const token = res.body[TOKEN_KEY].app_auth_token;
    expect((await merchant(token)).body[KEY]).toEqual(MERCHANT);
    t.sb.clock.advance('5s');
    const late = await merchant(token);
    expect(late.body).toEqual({ [KEY]: TIME_OUT, sign: expect.any(String) });
    signedNode(late, KEY);
  });

  test('expired-on-issue: SOP says "never expires" (-1) and rejects the token at once', async () => {
    await start('expired-on-issue');
    const tokens = await getTokens(t.http, now());
    expect((await merchant(tokens.app_auth_token)).body[KEY]).toEqual(TIME_OUT);
  });

  test('refresh-expired: the refresh is answered invalid_token', async () => {
    await start('refresh-expired');
    const tokens = await getTokens(t.http, now());
    expect((await refresh(tokens.app_refresh_token)).body[TOKEN_KEY]).toEqual(INVALID_TOKEN);
  });
});

describe('rotation, grace and codes', () => {
  test('rotation-strict: replaying the old refresh token revokes the new app_auth_token', async () => {
    await start('rotation-strict');
    const first = await getTokens(t.http, now());
    const second = (await refresh(first.app_refresh_token)).body[TOKEN_KEY];
    expect(second).toEqual(pair(-1, -3));
    expect((await refresh(first.app_refresh_token)).body[TOKEN_KEY]).toEqual(INVALID_TOKEN);
    expect((await merchant(second.app_auth_token)).body[KEY]).toEqual(INVALID);
  });

  test('rotation-lenient: the old refresh token is accepted again', async () => {
    await start('rotation-lenient');
    const first = await getTokens(t.http, now());
    expect((await refresh(first.app_refresh_token)).body[TOKEN_KEY]).toEqual(pair(-1, -3));
    expect((await refresh(first.app_refresh_token)).body[TOKEN_KEY]).toEqual(pair(-1, -3));
  });

  test("grace-10min: the replaced token works 599 s, times out at 600 s (SOP's own rule, made explicit)", async () => {
    await start('grace-10min');
    const first = await getTokens(t.http, now());
    await refresh(first.app_refresh_token);
    t.sb.clock.advance('599s');
    expect((await merchant(first.app_auth_token)).body[KEY]).toEqual(MERCHANT);
    t.sb.clock.advance('1s');
    expect((await merchant(first.app_auth_token)).body[KEY]).toEqual(TIME_OUT);
  });

  test('code-reuse-allowed: one code, two token pairs', async () => {
    await start('code-reuse-allowed');
    const code = await getCode(t.http);
    expect((await exchange(code)).body[TOKEN_KEY]).toEqual(pair(-1, -3));
    expect((await exchange(code)).body[TOKEN_KEY]).toEqual(pair(-1, -3));
  });
});

describe('failures', () => {
  test('token-endpoint-500 hits open.auth.token.app only; business methods and the login form work', async () => {
    await start();
    const tokens = await getTokens(t.http, now());
    await t.sb.scenario.use('token-endpoint-500');
    const res = await exchange(await getCode(t.http));
    expect(res.status).toBe(500);
    expect(res.text).toContain('HTTP Status 500 – Internal Server Error');
    expect((await refresh(tokens.app_refresh_token)).status).toBe(500);
    expect((await merchant(tokens.app_auth_token)).body[KEY]).toEqual(MERCHANT);
  });

  test('token-endpoint-slow and connection-reset reach open.auth.token.app', async () => {
    await start('token-endpoint-slow');
    expect(await networkError(exchange(await getCode(t.http)).timeout(300))).toBe('ECONNABORTED');
    await t.sb.scenario.use('connection-reset');
    expect(await networkError(exchange(await getCode(t.http)))).toBe('ECONNRESET');
  });

  test('invalid-signature: every gateway call gets isv.invalid-signature, signed; the login form is untouched', async () => {
    await start('invalid-signature');
    const login = await t.http
      .post('/oauth2/authorize')
      .type('form')
      .send(form({ response_type: 'code', client_id: APP.appId, redirect_uri: REDIRECT_URI, username: USER.username, password: USER.password }));
    expect(login.status).toBe(302);
    const res = await postGateway(t.http, gatewayParams('alipay.story.get', now()));
    // In the node of the method called, where a client (alipay-sdk: `<method>_response`) looks for it.
    expect(res.body).toEqual({
      alipay_story_get_response: { code: '40002', msg: '非法的参数', sub_code: 'isv.invalid-signature', sub_msg: '无效签名' },
      sign: expect.any(String),
    });
    signedNode(res, 'alipay_story_get_response');
  });

  test("flaky: some gateway calls get the proxy's 502", async () => {
    await start('flaky');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await postGateway(t.http, gatewayParams('alipay.story.get', now()))).status);
    expect(statuses).toContain(502);
    expect(statuses).toContain(200);
  });
});

describe('fault rules of your own reach SOP', () => {
  test('a fault rule by gateway method answers a token error, signed, in the method node', async () => {
    t = await startTestSandbox({
      scenario: { faults: [{ id: 'bad-code', platform: 'sop', method: 'open.auth.token.app', respond: { error: 'invalid_request' } }] },
    });
    const res = await exchangeIn(t, await getCode(t.http));
    // The same answer the method gives for a bad code: a routed answer, request_id included.
    expect(res.body).toEqual({
      open_auth_token_app_response: {
        code: '10000',
        msg: 'Success',
        error: 'invalid_request',
        error_description: 'invalid request',
        expires_in: -1,
        re_expires_in: -1,
        request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      },
      sign: expect.any(String),
    });
    signedNode(res, 'open_auth_token_app_response');
  });

  test('a fault rule tagged "signed" answers a gateway error in the node of the method called (as the gateway does); the login page is untouched', async () => {
    t = await startTestSandbox({ scenario: { faults: [{ id: 'bad-sign', tag: 'signed', respond: { error: { sop: 'isv.invalid-signature' } } }] } });
    const code = await getCode(t.http);
    const res = await exchangeIn(t, code);
    expect(res.body).toEqual({
      open_auth_token_app_response: { code: '40002', msg: '非法的参数', sub_code: 'isv.invalid-signature', sub_msg: '无效签名' },
      sign: expect.any(String),
    });
    signedNode(res, 'open_auth_token_app_response');
  });

  test('a fault rule tagged "authorize" can answer invalid_client on the login form', async () => {
    t = await startTestSandbox({ scenario: { faults: [{ id: 'no-client', platform: 'sop', tag: 'authorize', respond: { error: 'invalid_client' } }] } });
    const res = await t.http
      .post('/oauth2/authorize')
      .type('form')
      .send(form({ response_type: 'code', client_id: APP.appId, redirect_uri: REDIRECT_URI, username: USER.username, password: USER.password }));
    expect(res.status).toBe(400);
    expect(res.text).toBe('{"error":"invalid_client","error_description":"invalid_client"}');
  });
});
