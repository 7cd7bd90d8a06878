import { generateKeyPairSync } from 'node:crypto';
import { zjrcClientSign, zjrcRequest, zjrcSign, zjrcSignContent, zjrcTimestamp, zjrcVerifyResponse } from '../../src/index.js';
import { rsaVerify } from '../../src/platforms/zjrc/rsa.js';
import { APP, BUILTIN, PLATFORM_PUBLIC_KEY } from '../helpers/zjrc.js';

describe('clientSign = HMAC-SHA1(data, client_secret), the vectors of docs/platforms/zjrc.md#clientsign', () => {
  const data = '15dd66eefdb344ada77db82b12690d2f';
  const key = '0aace68d72a8437daea919fa67d1d617';

  test('hex, lower-case, 40 characters (the documented form and the default)', () => {
    expect(zjrcClientSign(data, key)).toBe('884e3e432d7965680c3ca588a784418ac0fa1d8f');
    expect(zjrcClientSign(data, key, 'hex')).toHaveLength(40);
  });

  test('Base64, 28 characters (the widely copied helper)', () => {
    expect(zjrcClientSign(data, key, 'base64')).toBe('iE4+Qy15ZWgMPKWIp4RBisD6HY8=');
  });

  test('the built-in app uses the vector key as its client_secret', () => {
    expect(APP.clientSecret).toBe(key);
  });
});

describe('the signed text and the RSA signature', () => {
  test('all non-empty fields except sign, sorted by key, k=v joined by &', () => {
    const text = zjrcSignContent({
      version: '1.0.0',
      appId: 'A1',
      sign: 'x',
      dlpId: '',
      method: 'm',
      bizContent: '{"code":"c"}',
      timestamp: '2026-11-01 08:00:00',
      signType: 'RSA2',
    });
    expect(text).toBe('appId=A1&bizContent={"code":"c"}&method=m&signType=RSA2&timestamp=2026-11-01 08:00:00&version=1.0.0');
  });

  test('options: extra exclusions and empty values', () => {
    expect(zjrcSignContent({ b: '', a: '1', signType: 'RSA2', sign: 's' }, { exclude: ['sign', 'signType'], includeEmpty: true })).toBe('a=1&b=');
  });

  test('zjrcRequest builds the bean fields with a signature the app public key verifies', () => {
    const req = zjrcRequest({
      appId: APP.appId,
      privateKey: APP.privateKey,
      method: 'zjrcuoip.oauth.get.openId.new',
      bizContent: { code: 'c' },
      timestamp: Date.UTC(2026, 10, 1, 0, 0, 0),
      dlpId: 'D',
      prodId: 'P',
    });
    expect(req).toEqual({
      appId: APP.appId,
      method: 'zjrcuoip.oauth.get.openId.new',
      version: '1.0.0',
      timestamp: '2026-11-01 08:00:00',
      bizContent: '{"code":"c"}',
      signType: 'RSA2',
      dlpId: 'D',
      prodId: 'P',
      sign: expect.stringMatching(/^[A-Za-z0-9+/]{342}==$/),
    });
    expect(rsaVerify(zjrcSignContent(req), req.sign, BUILTIN.zjrc.apps[0].publicKey, 'RSA2')).toBe(true);
    expect(rsaVerify(zjrcSignContent(req), req.sign, BUILTIN.zjrc.apps[0].publicKey, 'RSA')).toBe(false);
  });

  test('RSA (SHA1withRSA) signs differently from RSA2', () => {
    const fields = { a: '1' };
    expect(zjrcSign(fields, APP.privateKey, 'RSA')).not.toBe(zjrcSign(fields, APP.privateKey, 'RSA2'));
    expect(rsaVerify('a=1', zjrcSign(fields, APP.privateKey, 'RSA'), BUILTIN.zjrc.apps[0].publicKey, 'RSA')).toBe(true);
  });

  test('bare Base64 keys (as Java configs hold them) work like PEM', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const bare = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const sign = zjrcSign({ a: '1' }, bare);
    expect(rsaVerify('a=1', sign, pub)).toBe(true);
  });

  test('zjrcVerifyResponse checks a body signed with the platform key and refuses a changed one', () => {
    const body: Record<string, string> = { code: '000000', msg: '成功', bizCode: '0', bizMsg: '成功', bizContent: '{"openId":"x"}' };
    body.sign = zjrcSign(body, BUILTIN.zjrc.platformKeys.privateKey);
    expect(zjrcVerifyResponse(body, PLATFORM_PUBLIC_KEY)).toBe(true);
    expect(zjrcVerifyResponse({ ...body, bizContent: '{"openId":"y"}' }, PLATFORM_PUBLIC_KEY)).toBe(false);
    expect(zjrcVerifyResponse({ ...body, sign: undefined }, PLATFORM_PUBLIC_KEY)).toBe(false);
  });
});

describe('timestamps: yyyy-MM-dd HH:mm:ss in Asia/Shanghai', () => {
  test('UTC+8 by default, other offsets on request', () => {
    expect(zjrcTimestamp(Date.UTC(2026, 0, 31, 16, 5, 9))).toBe('2026-02-01 00:05:09');
    expect(zjrcTimestamp(Date.UTC(2026, 0, 31, 16, 5, 9), 0)).toBe('2026-01-31 16:05:09');
  });
});
