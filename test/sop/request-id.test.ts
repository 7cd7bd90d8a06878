import { Sandbox } from '../../src/sandbox.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { gatewayParams, postGateway, signedNode, sopFixtureFile, tokenBiz } from '../helpers/sop.js';

/**
 * Where request_id sits in a routed node (docs/platforms/sop.md#answers-and-their-signature): first by default,
 * last with the fixture's `requestIdPosition: "last"`. Read from the raw text, since the signature covers it.
 */

const STORY = 'alipay_story_get_response';
const TOKEN = 'open_auth_token_app_response';

describe('requestIdPosition: "last" restores the order the sandbox used before', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ fixtures: [sopFixtureFile({ requestIdPosition: 'last' })] });
  });
  afterAll(() => t.close());

  test('a routed success: the method’s fields, then request_id; the signature covers that text', async () => {
    const res = await postGateway(t.http, gatewayParams('alipay.story.get', t.sb.clock.now()));
    expect(res.text).toMatch(/^\{"alipay_story_get_response":\{"code":"10000","msg":"Success","name":"葫芦娃","id":"1","request_id":"[0-9a-f]{32}"\},"sign":"/);
    signedNode(res, STORY);
  });

  test('a token error and a method’s own parameter error put it last too', async () => {
    const bad = await postGateway(t.http, gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'password' })));
    expect(bad.text).toMatch(
      /^\{"open_auth_token_app_response":\{"msg":"Success","code":"10000","re_expires_in":-1,"error_description":"invalid grant","error":"invalid_grant","expires_in":-1,"request_id":"[0-9a-f]{32}"\},"sign":"/,
    );
    signedNode(bad, TOKEN);
    const noGrant = await postGateway(t.http, gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({})));
    expect(noGrant.text).toMatch(/"sub_msg":"授权类型不能为空","request_id":"[0-9a-f]{32}"\},"sign":"/);
    signedNode(noGrant, TOKEN);
  });
});

describe('by default request_id leads every routed node', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  test('a method’s own parameter error (no grant_type) starts with it as well', async () => {
    const res = await postGateway(t.http, gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({})));
    expect(res.text).toMatch(
      /^\{"open_auth_token_app_response":\{"request_id":"[0-9a-f]{32}","code":"40004","msg":"业务处理失败","sub_code":"isv.invalid-parameter","sub_msg":"授权类型不能为空"\},"sign":"/,
    );
    signedNode(res, TOKEN);
  });

  test('a gateway refusal carries none', async () => {
    const res = await postGateway(t.http, { ...gatewayParams('alipay.story.get', t.sb.clock.now()), sign: 'AAAA' });
    expect(res.text).toMatch(
      /^\{"alipay_story_get_response":\{"code":"40002","msg":"非法的参数","sub_code":"isv.invalid-signature","sub_msg":"无效签名"\},"sign":"/,
    );
  });
});

test.each([['middle'], [1], [-1.5], [null], [true], [[]], [{}], ['last'.repeat(100_000)], ['__proto__']])(
  'requestIdPosition %# (an extreme value) is refused at load, naming the field and the two values it takes',
  async (value) => {
    const file = sopFixtureFile({ requestIdPosition: value });
    await expect(Sandbox.create({ fixtures: [file] })).rejects.toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: sop\\.requestIdPosition: expected "first" or "last" \\(got `),
    );
  },
);
