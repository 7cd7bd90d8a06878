import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { BUILTIN_SOP, gatewayParams, getTokens, HEX32, postGateway, signedNode, sopFixtureFile } from '../helpers/sop.js';

const ORDER = {
  name: 'shop.order.get',
  version: '2.0',
  needsToken: true,
  response: { order_id: 'O1', total: 12.5, paid: true, items: [{ sku: 'A', qty: 2 }] },
};

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ fixtures: [sopFixtureFile({ methods: [...BUILTIN_SOP.methods, ORDER, { name: 'shop.ping' }] })] });
});
afterAll(() => t.close());

const REQUEST_ID = expect.stringMatching(HEX32);

describe('business methods declared in fixtures (docs/platforms/sop.md#your-own-methods), through the same gateway', () => {
  test('a method without a token answers its fields after request_id, code and msg, with types kept', async () => {
    const res = await postGateway(t.http, gatewayParams('alipay.story.get', t.sb.clock.now()));
    expect(res.text).toMatch(/^\{"alipay_story_get_response":\{"request_id":"[0-9a-f]{32}","code":"10000","msg":"Success","name":"葫芦娃","id":"1"\},"sign":"/);
    expect(signedNode(res, 'alipay_story_get_response')).toEqual({ code: '10000', msg: 'Success', name: '葫芦娃', id: '1', request_id: REQUEST_ID });
  });

  test('a method declared with only a name defaults to version 1.0, no token, no fields', async () => {
    const res = await postGateway(t.http, gatewayParams('shop.ping', t.sb.clock.now()));
    expect(res.body.shop_ping_response).toEqual({ code: '10000', msg: 'Success', request_id: REQUEST_ID });
  });

  test('a method that needs a token, at its declared version, with a live app_auth_token', async () => {
    const { app_auth_token } = await getTokens(t.http, t.sb.clock.now());
    const res = await postGateway(t.http, gatewayParams('shop.order.get', t.sb.clock.now(), { version: '2.0', app_auth_token }));
    expect(res.body).toEqual({
      shop_order_get_response: {
        code: '10000',
        msg: 'Success',
        order_id: 'O1',
        total: 12.5,
        paid: true,
        items: [{ sku: 'A', qty: 2 }],
        request_id: REQUEST_ID,
      },
      sign: expect.any(String),
    });
    signedNode(res, 'shop_order_get_response');
  });

  test('the same checks apply: wrong version, no token', async () => {
    const v1 = await postGateway(t.http, gatewayParams('shop.order.get', t.sb.clock.now()));
    expect(v1.body.shop_order_get_response).toEqual({ code: '40002', msg: '非法的参数', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' });
    const noToken = await postGateway(t.http, gatewayParams('shop.order.get', t.sb.clock.now(), { version: '2.0' }));
    expect(noToken.body.shop_order_get_response).toEqual({
      code: '20001',
      msg: '授权权限不足',
      sub_code: 'aop.invalid-app-auth-token',
      sub_msg: '无效的应用授权令牌',
    });
  });

  test("another app's token is not this app's", async () => {
    const other = '2019032617262200005';
    const t2 = await startTestSandbox({ fixtures: [sopFixtureFile({ apps: [...BUILTIN_SOP.apps, { ...BUILTIN_SOP.apps[0], appId: other }] })] });
    try {
      const { app_auth_token } = await getTokens(t2.http, t2.sb.clock.now());
      const res = await postGateway(t2.http, gatewayParams('sandbox.merchant.info.get', t2.sb.clock.now(), { app_id: other, app_auth_token }));
      expect(res.body.sandbox_merchant_info_get_response).toEqual({
        code: '20001',
        msg: '授权权限不足',
        sub_code: 'aop.invalid-app-auth-token',
        sub_msg: '无效的应用授权令牌',
      });
    } finally {
      await t2.close();
    }
  });
});
