import { generateKeyPairSync } from 'node:crypto';
import { zjrcClientSign, zjrcRequest, zjrcSign, zjrcSignContent, zjrcTimestamp, zjrcVerifyResponse } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, authorize, bizOf, body, call, GATEWAY, gatewayError, M, PLATFORM_PUBLIC_KEY, verified } from '../helpers/zjrc.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ bodyLimit: 64 * 1024 });
});
afterAll(() => t.close());

const now = () => t.sb.clock.now();
const biz = { openId: 'x', accessToken: 'y' };
/** Re-sign after changing fields, so only the intended check can fail. */
const resign = (fields: Record<string, string>) => ({ ...fields, sign: zjrcSign(fields, APP.privateKey, (fields.signType as 'RSA2' | 'RSA') || 'RSA2') });
const without = (fields: Record<string, string>, ...names: string[]) => Object.fromEntries(Object.entries(fields).filter(([k]) => !names.includes(k)));

describe('ZJRC gateway: transport', () => {
  test('JSON body, form body and bizContent sent as a nested JSON object all work', async () => {
    const code1 = await authorize(t.http);
    const asJson = await call(t.http, body(M.openId, { code: code1, clientSign: zjrcClientSign(code1, APP.clientSecret) }, now()));
    expect(bizOf(asJson).expiresIn).toBe('7200');

    const code2 = await authorize(t.http);
    const form = body(M.openId, { code: code2, clientSign: zjrcClientSign(code2, APP.clientSecret) }, now());
    const asForm = await t.http.post(GATEWAY).type('form').send(new URLSearchParams(form).toString());
    expect(bizOf(asForm).expiresIn).toBe('7200');

    const code3 = await authorize(t.http);
    const signedBody = body(M.openId, { code: code3, clientSign: zjrcClientSign(code3, APP.clientSecret) }, now());
    const nested = { ...signedBody, bizContent: JSON.parse(signedBody.bizContent) };
    expect(bizOf(await call(t.http, nested)).expiresIn).toBe('7200');
  });

  test('also under the /zjrc prefix', async () => {
    const res = await call(t.http, body(M.userinfo, biz, now()), `/zjrc${GATEWAY}`);
    expect(res.body.code).toBe('000000');
  });

  test('RSA (SHA1withRSA) requests are accepted and answered with an RSA signature', async () => {
    const res = await call(t.http, body(M.userinfo, biz, now(), { signType: 'RSA' }));
    expect(res.body.bizCode).toBe('200012');
    expect(verified(res)).toBe(false);
    expect(zjrcVerifyResponse(res.body, PLATFORM_PUBLIC_KEY, 'RSA')).toBe(true);
  });

  test('an unreadable body (bad gzip) → 400 in the gateway shape, signed', async () => {
    const res = await t.http.post(GATEWAY).set('content-type', 'application/json').set('content-encoding', 'gzip').send('not gzip at all');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(gatewayError('100012', '请求报文无法读取'));
    expect(verified(res)).toBe(true);
  });

  test('GET is not served: 405 naming POST', async () => {
    const res = await t.http.get(GATEWAY);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  test('a body over the limit → 413 in the gateway shape, signed', async () => {
    const res = await t.http
      .post(GATEWAY)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(70 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual(gatewayError('100011', '请求报文过大'));
    expect(verified(res)).toBe(true);
  });
});

describe('ZJRC gateway failures: non-zero code, no biz fields, still signed by the platform', () => {
  test('body is not JSON', async () => {
    const res = await t.http.post(GATEWAY).set('content-type', 'application/json').send('{"appId":');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(gatewayError('100001', expect.stringMatching(/^请求报文格式错误: the body is not valid JSON \(.+\)$/)));
    expect(verified(res)).toBe(true);
  });

  test('body is a JSON array', async () => {
    const res = await t.http.post(GATEWAY).set('content-type', 'application/json').send('[1,2]');
    expect(res.body).toEqual(gatewayError('100001', '请求报文格式错误: the body must be a JSON object'));
  });

  test('empty body: every common field is named', async () => {
    const res = await t.http.post(GATEWAY).set('content-type', 'application/json').send('');
    expect(res.body).toEqual(gatewayError('100002', '缺少必要参数: appId, method, version, timestamp, bizContent, sign'));
    expect(verified(res)).toBe(true);
  });

  test('missing sign', async () => {
    const res = await call(t.http, without(body(M.userinfo, biz, now()), 'sign'));
    expect(res.body).toEqual(gatewayError('100002', '缺少必要参数: sign'));
  });

  test('unknown app', async () => {
    const res = await call(t.http, resign({ ...body(M.userinfo, biz, now()), appId: 'NOPE' }));
    expect(res.body).toEqual(gatewayError('100003', '应用不存在: NOPE'));
    expect(verified(res)).toBe(true);
  });

  test('unknown method', async () => {
    const res = await call(t.http, body('zjrcuoip.no.such.method', biz, now()));
    expect(res.body).toEqual(gatewayError('100004', '接口不存在: zjrcuoip.no.such.method'));
    expect(verified(res)).toBe(true);
  });

  test('unsupported version', async () => {
    const res = await call(t.http, body(M.userinfo, biz, now(), { version: '2.0' }));
    expect(res.body).toEqual(gatewayError('100005', '接口版本不支持: 2.0 (accepted: 1.0.0)'));
  });

  test('unsupported signType', async () => {
    const res = await call(t.http, resign({ ...body(M.userinfo, biz, now()), signType: 'MD5' }));
    expect(res.body).toEqual(gatewayError('100006', '签名类型不支持: MD5 (expected RSA2 or RSA)'));
  });

  test('bad sign: a field changed after signing; the message shows the text that should have been signed', async () => {
    const fields = { ...body(M.userinfo, biz, now()), bizContent: '{"openId":"changed","accessToken":"y"}' };
    const res = await call(t.http, fields);
    const expected = zjrcSignContent(fields);
    expect(res.body).toEqual(
      gatewayError(
        '100007',
        `验签失败: sign must be the Base64 SHA256withRSA signature, made with the private key of app ${APP.appId}, of the text "${expected}"`,
      ),
    );
    expect(verified(res)).toBe(true);
  });

  test('bad sign: signed with another key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const res = await call(t.http, body(M.userinfo, biz, now(), { privateKey }));
    expect(res.body.code).toBe('100007');
  });

  test('bad sign: not Base64 at all', async () => {
    const res = await call(t.http, { ...body(M.userinfo, biz, now()), sign: '!!!' });
    expect(res.body.code).toBe('100007');
  });

  test('malformed timestamp', async () => {
    const res = await call(t.http, body(M.userinfo, biz, '2026/11/01 08:00:00'));
    expect(res.body).toEqual(gatewayError('100008', '时间戳格式错误: 2026/11/01 08:00:00 (expected yyyy-MM-dd HH:mm:ss)'));
    const impossible = await call(t.http, body(M.userinfo, biz, '2026-02-30 08:00:00'));
    expect(impossible.body.code).toBe('100008');
  });

  test('stale timestamp: more than 300 s behind the sandbox clock (and as far ahead)', async () => {
    const ok = await call(t.http, body(M.userinfo, biz, now() - 290_000));
    expect(ok.body.code).toBe('000000');
    const sent = zjrcTimestamp(now() - 302_000);
    const res = await call(t.http, body(M.userinfo, biz, sent));
    expect(res.body).toEqual(
      gatewayError(
        '100009',
        expect.stringMatching(new RegExp(`^时间戳已过期: ${sent} is more than 300 s away from the platform time \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$`)),
      ),
    );
    expect(verified(res)).toBe(true);
    expect((await call(t.http, body(M.userinfo, biz, now() + 302_000))).body.code).toBe('100009');
  });

  test('stale timestamp after the sandbox clock moved: the platform time is the sandbox clock', async () => {
    const before = now();
    t.sb.clock.advance('10m');
    expect((await call(t.http, body(M.userinfo, biz, before))).body.code).toBe('100009');
    expect((await call(t.http, body(M.userinfo, biz, now()))).body.code).toBe('000000');
  });

  test.each([
    ['not JSON', '{openId:', /^bizContent格式错误: not valid JSON \(.+\)$/],
    ['a JSON array', '[]', /^bizContent格式错误: expected a JSON object$/],
  ])('bizContent %s', async (_name, content, message) => {
    const res = await call(t.http, zjrcRequest({ appId: APP.appId, privateKey: APP.privateKey, method: M.userinfo, bizContent: content, timestamp: now() }));
    expect(res.body).toEqual(gatewayError('100010', expect.stringMatching(message)));
  });

  test('checks run in order: unknown app wins over a bad sign and a stale timestamp', async () => {
    const res = await call(t.http, { ...body(M.userinfo, biz, now() - 3_600_000), appId: 'NOPE' });
    expect(res.body.code).toBe('100003');
  });

  test('the journal records the parsed bizContent and masks the sign', async () => {
    await call(t.http, body(M.userinfo, biz, now()));
    const [entry] = t.sb.requests({ platform: 'zjrc', endpoint: 'gateway.do', limit: 1 });
    expect(entry.request.body).toMatchObject({ method: M.userinfo, bizContent: biz, sign: '***' });
  });
});
