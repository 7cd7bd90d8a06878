import { signSopRequest } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, BUILTIN_SOP, gatewayParams, postGateway, signedNode, sopFixtureFile } from '../helpers/sop.js';

const DISABLED = '2019032617262200002';
const KEYLESS = '2019032617262200003';

let t: TestSandbox;
beforeAll(async () => {
  const apps = [...BUILTIN_SOP.apps, { appId: DISABLED, publicKey: APP.publicKey, disabled: true }, { appId: KEYLESS }];
  t = await startTestSandbox({ fixtures: [sopFixtureFile({ apps })] });
});
afterAll(() => t.close());

const METHOD = 'sandbox.merchant.info.get'; // needs app_auth_token
const KEY = 'sandbox_merchant_info_get_response';
const WRONG_SIGN = Buffer.alloc(256, 7).toString('base64');

type Params = Record<string, string>;
const without = (p: Params, ...keys: string[]): Params => Object.fromEntries(Object.entries(p).filter(([k]) => !keys.includes(k)));

/** Signed at sandbox time `now - ageSeconds`, then `edit`ed; later rows' faults are left in so the first failing row must win. */
function request(edit: (p: Params) => Params, opts: { ageSeconds?: number; resign?: boolean; format?: string } = {}): Params {
  const now = t.sb.clock.now() - (opts.ageSeconds ?? 0) * 1000;
  const signed = gatewayParams(METHOD, now, { format: opts.format ?? 'html' });
  const edited = edit(opts.resign ? signed : { ...signed, sign: WRONG_SIGN });
  return opts.resign ? signSopRequest(edited, APP.privateKey) : edited;
}

const stale = { ageSeconds: 3600 };

interface Row {
  row: string;
  params: () => Params;
  key: string;
  code: string;
  subCode: string;
  zh: [string, string];
  en: [string, string];
  /** The request names no app, or an unknown one: SOP's gateway leaves the answer unsigned. */
  unsigned?: true;
}

const ROWS: Row[] = [
  {
    row: '1 method missing',
    params: () => request((p) => without(p, 'method'), stale),
    key: 'error_response',
    code: '40001',
    subCode: 'isv.missing-method',
    zh: ['缺少必选参数', '缺少方法名参数'],
    en: ['Missing required parameters', 'Method name parameter is missing'],
  },
  {
    row: '2 version missing',
    params: () => request((p) => without(p, 'version', 'app_id'), stale),
    key: KEY,
    code: '40001',
    subCode: 'isv.missing-version',
    zh: ['缺少必选参数', '缺少版本参数'],
    en: ['Missing required parameters', 'Missing version parameter'],
    unsigned: true,
  },
  {
    row: '3 method unknown',
    params: () => request((p) => ({ ...without(p, 'app_id'), method: 'no.such.method' }), stale),
    key: 'no_such_method_response',
    code: '40002',
    subCode: 'isv.invalid-method',
    zh: ['非法的参数', '不存在的方法名'],
    en: ['Invalid parameter', 'Nonexistent method name'],
    unsigned: true,
  },
  {
    row: '3 version unknown',
    params: () => request((p) => ({ ...without(p, 'app_id'), version: '2.0' }), stale),
    key: KEY,
    code: '40002',
    subCode: 'isv.invalid-method',
    zh: ['非法的参数', '不存在的方法名'],
    en: ['Invalid parameter', 'Nonexistent method name'],
    unsigned: true,
  },
  {
    row: '4 app_id missing',
    params: () => request((p) => without(p, 'app_id', 'sign'), stale),
    key: KEY,
    code: '40001',
    subCode: 'isv.missing-app-id',
    zh: ['缺少必选参数', '缺少appId参数'],
    en: ['Missing required parameters', 'Missing appId parameter'],
    unsigned: true,
  },
  {
    row: '5 app_id unknown',
    params: () => request((p) => ({ ...without(p, 'sign'), app_id: '2000000000000000' }), stale),
    key: KEY,
    code: '40002',
    subCode: 'isv.invalid-app-id',
    zh: ['非法的参数', '无效的appId参数'],
    en: ['Invalid parameter', 'Invalid appId parameter'],
    unsigned: true,
  },
  {
    row: '6 app disabled',
    params: () => request((p) => ({ ...without(p, 'sign'), app_id: DISABLED }), stale),
    key: KEY,
    code: '40006',
    subCode: 'isv.access-forbidden',
    zh: ['权限不足', '无权访问'],
    en: ['Insufficient permissions', 'Access forbidden'],
  },
  {
    row: '7 sign missing',
    params: () => request((p) => without(p, 'sign', 'sign_type'), stale),
    key: KEY,
    code: '40001',
    subCode: 'isv.missing-signature',
    zh: ['缺少必选参数', '缺少签名参数'],
    en: ['Missing required parameters', 'Lack of signature parameter'],
  },
  {
    row: '8 app has no public key',
    params: () => request((p) => ({ ...without(p, 'sign_type'), app_id: KEYLESS }), stale),
    key: KEY,
    code: '40002',
    subCode: 'isv.missing-signature-config',
    zh: ['非法的参数', '验签出错, 未配置对应签名算法的公钥或者证书'],
    en: ['Invalid parameter', 'Signature verification error, no public key or certificate of the corresponding signature algorithm is configured'],
  },
  {
    row: '9 sign_type missing',
    params: () => request((p) => without(p, 'sign_type', 'charset'), stale),
    key: KEY,
    code: '40001',
    subCode: 'isv.decryption-error-missing-encrypt-type',
    zh: ['缺少必选参数', '解密出错, 未指定加密算法'],
    en: ['Missing required parameters', 'Decryption error, no encryption algorithm specified'],
  },
  {
    row: '10 charset missing',
    params: () => request((p) => ({ ...without(p, 'charset'), sign_type: 'MD5' }), stale),
    key: KEY,
    code: '40002',
    subCode: 'isv.invalid-charset',
    zh: ['非法的参数', '字符集错误'],
    en: ['Invalid parameter', 'Character set error'],
  },
  {
    row: '11 sign_type not RSA/RSA2',
    params: () => request((p) => ({ ...p, sign_type: 'MD5' }), stale),
    key: KEY,
    code: '40002',
    subCode: 'isv.invalid-signature-type',
    zh: ['非法的参数', '无效的签名类型'],
    en: ['Invalid parameter', 'Invalid signature type'],
  },
  {
    row: '12 signature does not verify',
    params: () => request((p) => p, stale),
    key: KEY,
    code: '40002',
    subCode: 'isv.invalid-signature',
    zh: ['非法的参数', '无效签名'],
    en: ['Invalid parameter', 'Invalid signature'],
  },
  {
    row: '13 timestamp too old',
    params: () => request((p) => p, { ageSeconds: 301, resign: true }),
    key: KEY,
    code: '40002',
    subCode: 'isv.invalid-timestamp',
    zh: ['非法的参数', '非法的时间戳参数'],
    en: ['Invalid parameter', 'Invalid timestamp parameter'],
  },
  {
    row: '13 timestamp unparseable',
    params: () => request((p) => ({ ...p, timestamp: '2019/03/26 17:37:41' }), { resign: true }),
    key: KEY,
    code: '40002',
    subCode: 'isv.invalid-timestamp',
    zh: ['非法的参数', '非法的时间戳参数'],
    en: ['Invalid parameter', 'Invalid timestamp parameter'],
  },
  {
    row: '13 timestamp not a real date',
    params: () => request((p) => ({ ...p, timestamp: '2019-02-30 10:00:00' }), { resign: true }),
    key: KEY,
    code: '40002',
    subCode: 'isv.invalid-timestamp',
    zh: ['非法的参数', '非法的时间戳参数'],
    en: ['Invalid parameter', 'Invalid timestamp parameter'],
  },
  {
    row: '14 format not json/xml',
    params: () => request((p) => p, { resign: true }),
    key: KEY,
    code: '40002',
    subCode: 'isv.invalid-format',
    zh: ['非法的参数', '无效的数据格式'],
    en: ['Invalid parameter', 'Invalid data format'],
  },
  {
    row: '15 app_auth_token blank',
    params: () => request((p) => ({ ...p, app_auth_token: ' ' }), { resign: true, format: 'json' }),
    key: KEY,
    code: '20001',
    subCode: 'aop.invalid-app-auth-token',
    zh: ['授权权限不足', '无效的应用授权令牌'],
    en: ['Insufficient authorization authority', 'Invalid application authorization token'],
  },
  {
    row: '15 app_auth_token absent',
    params: () => request((p) => p, { resign: true, format: 'json' }),
    key: KEY,
    code: '20001',
    subCode: 'aop.invalid-app-auth-token',
    zh: ['授权权限不足', '无效的应用授权令牌'],
    en: ['Insufficient authorization authority', 'Invalid application authorization token'],
  },
  {
    row: '— timestamp missing',
    params: () => request((p) => without(p, 'timestamp'), { resign: true }),
    key: KEY,
    code: '20000',
    subCode: 'isp.unknown-error',
    zh: ['服务不可用', '服务暂不可用'],
    en: ['Service is temporarily unavailable', 'Service is temporarily unavailable'],
  },
];

/** The answer's body: the node, then a sign unless the request named no known app. */
const answer = (r: Row, [msg, subMsg]: [string, string]) => ({
  [r.key]: { code: r.code, msg, sub_code: r.subCode, sub_msg: subMsg },
  ...(r.unsigned ? {} : { sign: expect.any(String) }),
});

describe('SOP gateway: the checks of docs/platforms/sop.md#gateway-checks, first failing row wins, HTTP 200, signed for a known app, no request_id', () => {
  test.each(ROWS)('row $row (Chinese by default)', async (r) => {
    const res = await postGateway(t.http, r.params());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.body).toEqual(answer(r, r.zh));
    if (r.unsigned) expect(Object.keys(JSON.parse(res.text) as object)).toEqual([r.key]);
    else expect(signedNode(res, r.key)).toEqual(res.body[r.key]);
  });

  test.each(ROWS)('row $row (Accept-Language: en)', async (r) => {
    const res = await postGateway(t.http, r.params(), { 'accept-language': 'en' });
    expect(res.body).toEqual(answer(r, r.en));
  });
});

describe('SOP gateway: edges of the checks', () => {
  const story = (now: number, extra: Params = {}) => gatewayParams('alipay.story.get', now, extra);
  const STORY = 'alipay_story_get_response';

  test('a timestamp exactly 300 s old passes, 301 s does not, and one in the future passes', async () => {
    // Frozen on a whole second, since timestamps carry whole seconds.
    // Freeze first: a set() before the freeze would let the host's milliseconds slip in between.
    t.sb.clock.setRate(0);
    const now = t.sb.clock.set(Date.UTC(2026, 10, 1, 4, 0, 0));
    try {
      for (const offset of [-300_000, 3_600_000]) {
        const res = await postGateway(t.http, story(now + offset));
        expect(res.body[STORY]).toEqual({ code: '10000', msg: 'Success', name: '葫芦娃', id: '1', request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
      }
      const late = await postGateway(t.http, story(now - 301_000));
      expect(late.body[STORY].sub_code).toBe('isv.invalid-timestamp');
    } finally {
      t.sb.clock.setRate(1);
      await t.sb.reset();
    }
  });

  test('format is optional and case-insensitive: absent, XML and JSON pass', async () => {
    for (const format of ['', 'XML', 'JSON']) {
      const params = gatewayParams('alipay.story.get', t.sb.clock.now(), format ? { format } : {});
      const res = await postGateway(t.http, format ? params : signSopRequest(without(params, 'format'), APP.privateKey));
      expect(res.body[STORY].code).toBe('10000');
    }
  });

  test('an app_auth_token nobody issued is refused with aop.invalid-app-auth-token', async () => {
    const res = await postGateway(t.http, gatewayParams(METHOD, t.sb.clock.now(), { app_auth_token: '0123456789abcdef0123456789abcdef' }));
    expect(res.body).toEqual({
      [KEY]: { code: '20001', msg: '授权权限不足', sub_code: 'aop.invalid-app-auth-token', sub_msg: '无效的应用授权令牌' },
      sign: expect.any(String),
    });
  });

  test.each([
    ['en-US,en;q=0.9', 'Invalid signature'],
    ['zh-CN,zh;q=0.9,en;q=0.8', '无效签名'],
    ['fr;q=0.5, en;q=0.8', 'Invalid signature'],
    ['ja', '无效签名'],
  ])('Accept-Language %s reads as %s', async (header, subMsg) => {
    const res = await postGateway(t.http, { ...story(t.sb.clock.now()), sign: WRONG_SIGN }, { 'accept-language': header });
    expect(res.body[STORY].sub_msg).toBe(subMsg);
  });

  test("an error before a usable sign_type is known is signed RSA2; after, with the request's type", async () => {
    const rsa = gatewayParams('alipay.story.get', t.sb.clock.now() - 3_600_000, {}, { signType: 'RSA' });
    const res = await postGateway(t.http, rsa);
    expect(res.body[STORY].sub_code).toBe('isv.invalid-timestamp');
    signedNode(res, STORY, 'RSA');
    const noType = await postGateway(t.http, { ...without(rsa, 'sign_type') });
    expect(noType.body[STORY].sub_code).toBe('isv.decryption-error-missing-encrypt-type');
    signedNode(noType, STORY, 'RSA2');
  });

  test('a sign that is not Base64 at all is an invalid signature, not a crash', async () => {
    const res = await postGateway(t.http, { ...story(t.sb.clock.now()), sign: '%%% not base64 %%%' });
    expect(res.body[STORY]).toEqual({ code: '40002', msg: '非法的参数', sub_code: 'isv.invalid-signature', sub_msg: '无效签名' });
  });
});
