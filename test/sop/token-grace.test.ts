import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { BUILTIN_SOP, gatewayParams, getCode, getTokens, HEX32, postGateway, signedNode, sopFixtureFile, tokenBiz } from '../helpers/sop.js';

const METHOD = 'sandbox.merchant.info.get';
const KEY = 'sandbox_merchant_info_get_response';
const MERCHANT = {
  code: '10000',
  msg: 'Success',
  merchant_name: 'Sandbox demo merchant',
  merchant_no: 'M0000000001',
  request_id: expect.stringMatching(HEX32),
};
const TIME_OUT = { code: '20001', msg: '授权权限不足', sub_code: 'aop.app-auth-token-time-out', sub_msg: '应用授权令牌已过期' };

describe('after a refresh the old app_auth_token works for 600 s, then times out', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  const call = (token: string, headers: Record<string, string> = {}) =>
    postGateway(t.http, gatewayParams(METHOD, t.sb.clock.now(), { app_auth_token: token }), headers);

  test('grace period, time-out in both languages, and the new token unaffected', async () => {
    // Frozen, so that "599 s after the refresh" is exact whatever the machine's load.
    t.sb.clock.setRate(0);
    const first = await getTokens(t.http, t.sb.clock.now());
    expect((await call(first.app_auth_token)).body[KEY]).toEqual(MERCHANT);

    const res = await postGateway(
      t.http,
      gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'refresh_token', refresh_token: first.app_refresh_token })),
    );
    const second = res.body.open_auth_token_app_response;

    t.sb.clock.advance('599s');
    expect((await call(first.app_auth_token)).body[KEY]).toEqual(MERCHANT);

    t.sb.clock.advance('2s');
    const late = await call(first.app_auth_token);
    expect(late.body).toEqual({ [KEY]: TIME_OUT, sign: expect.any(String) });
    signedNode(late, KEY);
    expect((await call(first.app_auth_token, { 'accept-language': 'en' })).body[KEY]).toEqual({
      code: '20001',
      msg: 'Insufficient authorization authority',
      sub_code: 'aop.app-auth-token-time-out',
      sub_msg: 'The application authorization token has expired',
    });

    expect((await call(second.app_auth_token)).body[KEY]).toEqual(MERCHANT);
    t.sb.clock.setRate(1);
  });

  test('tokens never expire by default: a year later the current token still works', async () => {
    const tokens = await getTokens(t.http, t.sb.clock.now());
    t.sb.clock.advance('8760h');
    expect((await call(tokens.app_auth_token)).body[KEY]).toEqual(MERCHANT);
  });
});

describe('policies from fixtures', () => {
  test('codeSingleUse false (what SOP\u2019s example server does): a code can be exchanged again', async () => {
    const t = await startTestSandbox({ fixtures: [sopFixtureFile({ policy: { codeSingleUse: false } })] });
    try {
      const code = await getCode(t.http);
      for (let i = 0; i < 2; i++) {
        const res = await postGateway(t.http, gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'authorization_code', code })));
        expect(res.body.open_auth_token_app_response).toMatchObject({ code: '10000', app_auth_token: expect.stringMatching(HEX32) });
      }
    } finally {
      await t.close();
    }
  });

  test('lifetimes from a fixture show in expires_in / re_expires_in, and an expired token times out', async () => {
    const apps = [{ ...BUILTIN_SOP.apps[0], policy: { lifetimes: { access: 7200, refresh: 86400 } } }];
    const t = await startTestSandbox({ fixtures: [sopFixtureFile({ apps })] });
    try {
      const code = await getCode(t.http);
      const res = await postGateway(t.http, gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'authorization_code', code })));
      const node = res.body.open_auth_token_app_response;
      expect(node).toMatchObject({ expires_in: 7200, re_expires_in: 86400 });
      t.sb.clock.advance('7200s');
      const late = await postGateway(t.http, gatewayParams(METHOD, t.sb.clock.now(), { app_auth_token: node.app_auth_token }));
      expect(late.body[KEY]).toEqual(TIME_OUT);
    } finally {
      await t.close();
    }
  });
});
