import { AlipaySdk } from 'alipay-sdk';
import { Sandbox } from '../../src/sandbox.js';
import { java } from '../clients/lib/tools.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, BUILTIN_SOP, form, gatewayParams, HEX32, PLATFORM_PUBLIC_KEY, postGateway, signedNode, sopFixtureFile, tokenBiz } from '../helpers/sop.js';

/**
 * SOP's gateway signs an answer only for a request that names a known app holding a platform key pair
 * (BaseExecutorAdapter.merge and createResponseSign in SOP's gateway source): no app_id, an unknown one, or an
 * app without platform keys gets an answer with no `sign` key at all. Read here from the raw body, as a client does.
 */

const NO_KEY_APP = '2019032617262200002';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({
    fixtures: [
      sopFixtureFile({
        apps: [...BUILTIN_SOP.apps, { appId: NO_KEY_APP, publicKey: APP.publicKey, privateKey: APP.privateKey, platformKeys: false }],
        // alipay-sdk stamps the host's local time: the platform is told the host's zone.
        utcOffsetMinutes: -new Date().getTimezoneOffset(),
      }),
    ],
  });
});
afterAll(() => t.close());

/** The raw body's own keys, in order: what a client that parses the text sees. */
const keysOf = (text: string): string[] => Object.keys(JSON.parse(text) as object);

describe('no app_id, or an unknown one: the answer has no sign', () => {
  test.each([
    ['missing', {}],
    ['empty', { app_id: '' }],
  ])('app_id %s → isv.missing-app-id, unsigned', async (_, extra: Record<string, string>) => {
    const res = await t.http
      .post('/')
      .type('form')
      .send(form({ method: 'alipay.story.get', version: '1.0', ...extra }));
    expect([res.status, res.text]).toEqual([
      200,
      '{"alipay_story_get_response":{"code":"40001","msg":"缺少必选参数","sub_code":"isv.missing-app-id","sub_msg":"缺少appId参数"}}',
    ]);
  });

  test('no params at all → isv.missing-method under error_response, unsigned', async () => {
    const res = await t.http.get('/');
    expect([res.status, res.text]).toEqual([
      200,
      '{"error_response":{"code":"40001","msg":"缺少必选参数","sub_code":"isv.missing-method","sub_msg":"缺少方法名参数"}}',
    ]);
  });

  test('an unknown app_id → isv.invalid-app-id, unsigned', async () => {
    const res = await postGateway(t.http, gatewayParams('alipay.story.get', t.sb.clock.now(), { app_id: '9999' }));
    expect(keysOf(res.text)).toEqual(['alipay_story_get_response']);
    expect(res.body.alipay_story_get_response).toEqual({ code: '40002', msg: '非法的参数', sub_code: 'isv.invalid-app-id', sub_msg: '无效的appId参数' });
  });

  test('a known app_id signs even a refusal that comes before the app check (no method)', async () => {
    const res = await t.http.get(`/?app_id=${APP.appId}`);
    expect(keysOf(res.text)).toEqual(['error_response', 'sign']);
    expect(signedNode(res, 'error_response')).toEqual({ code: '40001', msg: '缺少必选参数', sub_code: 'isv.missing-method', sub_msg: '缺少方法名参数' });
  });

  test('a fault rule’s answer follows the same rule', async () => {
    await t.http
      .post('/__sandbox/faults')
      .send({ id: 'busy', platform: 'sop', endpoint: 'gateway', respond: { error: 'isp.unknown-error' } })
      .expect(201);
    try {
      const unsigned = await t.http
        .post('/')
        .type('form')
        .send(form({ method: 'alipay.story.get', version: '1.0' }));
      expect(keysOf(unsigned.text)).toEqual(['alipay_story_get_response']);
      const signed = await postGateway(t.http, gatewayParams('alipay.story.get', t.sb.clock.now()));
      expect(keysOf(signed.text)).toEqual(['alipay_story_get_response', 'sign']);
      expect(signedNode(signed, 'alipay_story_get_response').sub_code).toBe('isp.unknown-error');
    } finally {
      await t.http.delete('/__sandbox/faults').expect(200);
    }
  });
});

describe('an app without platform keys (fixture apps[].platformKeys: false): every answer to it is unsigned', () => {
  const noKey = (method: string, extra: Record<string, string> = {}) =>
    postGateway(t.http, gatewayParams(method, t.sb.clock.now(), { app_id: NO_KEY_APP, ...extra }));

  test('a routed success', async () => {
    const res = await noKey('alipay.story.get');
    expect(keysOf(res.text)).toEqual(['alipay_story_get_response']);
    expect(res.body.alipay_story_get_response).toEqual({ request_id: expect.stringMatching(HEX32), code: '10000', msg: 'Success', name: '葫芦娃', id: '1' });
  });

  test('a gateway refusal and a token error', async () => {
    const refused = await noKey('sandbox.merchant.info.get');
    expect(keysOf(refused.text)).toEqual(['sandbox_merchant_info_get_response']);
    expect(refused.body.sandbox_merchant_info_get_response.sub_code).toBe('aop.invalid-app-auth-token');
    const tokenError = await noKey('open.auth.token.app', tokenBiz({ grant_type: 'authorization_code', code: 'nope' }));
    expect(keysOf(tokenError.text)).toEqual(['open_auth_token_app_response']);
    expect(tokenError.body.open_auth_token_app_response.error).toBe('invalid_request');
  });

  test('the app with keys still gets signed answers from the same sandbox', async () => {
    const res = await postGateway(t.http, gatewayParams('alipay.story.get', t.sb.clock.now()));
    expect(signedNode(res, 'alipay_story_get_response').name).toBe('葫芦娃');
  });

  test('the SOP Java SDK reads the unsigned answer (it checks a sign only when one comes)', async () => {
    const out = await java<Record<string, unknown>>(
      'SopClient.java',
      [`${t.sb.url}/`, NO_KEY_APP, APP.privateKey, PLATFORM_PUBLIC_KEY, 'alipay.story.get', '{}'],
      Intl.DateTimeFormat().resolvedOptions().timeZone,
    );
    expect(out).toEqual({
      status: 200,
      key: 'alipay_story_get_response',
      node: { request_id: expect.stringMatching(HEX32), code: '10000', msg: 'Success', name: '葫芦娃', id: '1' },
      signed: false,
    });
  });

  test('alipay-sdk reads it without validateSign, and refuses it with validateSign (there is nothing to verify)', async () => {
    const sdk = new AlipaySdk({
      appId: NO_KEY_APP,
      privateKey: APP.privateKey,
      keyType: 'PKCS8',
      alipayPublicKey: PLATFORM_PUBLIC_KEY,
      gateway: `${t.sb.url}/gateway.do`,
    });
    expect(await sdk.exec('alipay.story.get', {})).toEqual({ requestId: expect.stringMatching(HEX32), code: '10000', msg: 'Success', name: '葫芦娃', id: '1' });
    await expect(sdk.exec('alipay.story.get', {}, { validateSign: true })).rejects.toThrow(/"signature" argument must be of type string/);
  });
});

test('apps[].platformKeys takes only false: anything else is refused at load, naming the field and the fix', async () => {
  const file = sopFixtureFile({ apps: [{ appId: '1', platformKeys: true }] });
  await expect(Sandbox.create({ fixtures: [file] })).rejects.toThrow(
    `${file}: sop.apps[0].platformKeys: expected false (this app has no platform key pair, so answers to it are unsigned); leave it out to use the fixture's platformKeys`,
  );
});
