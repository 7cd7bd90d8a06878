import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { parsePrivateKey, parsePublicKey, rsaSign, rsaVerify } from '../../src/core/crypto.js';
import { Sandbox } from '../../src/sandbox.js';
import { signSopRequest, sopSignContent, verifySopResponse } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, BUILTIN_SOP, HEX32, PLATFORM_PUBLIC_KEY, postGateway, signedNode, sopFixtureFile } from '../helpers/sop.js';

/** The worked vector of SOP's signing-tool doc (docs/platforms/sop.md#worked-signatures). */
const VECTOR_PARAMS = {
  app_id: '2019032617262200001',
  method: 'alipay.story.get',
  format: 'json',
  charset: 'utf-8',
  sign_type: 'RSA2',
  timestamp: '2019-03-26 17:37:41',
  version: '1.0',
  biz_content: '{"name":"葫芦娃","id":"1"}',
};
const VECTOR_STRING =
  'app_id=2019032617262200001&biz_content={"name":"葫芦娃","id":"1"}&charset=utf-8&format=json&method=alipay.story.get&sign_type=RSA2&timestamp=2019-03-26 17:37:41&version=1.0';

describe('the worked signature vector of the SOP signing tool', () => {
  test('our canonical string builder produces exactly the documented string', () => {
    expect(sopSignContent(VECTOR_PARAMS)).toBe(VECTOR_STRING);
    // sign is left out, whatever order the params came in.
    expect(sopSignContent({ sign: 'x', ...Object.fromEntries(Object.entries(VECTOR_PARAMS).reverse()) })).toBe(VECTOR_STRING);
  });

  test('empty values are kept, sign_type is included, keys sort in code-unit order', () => {
    expect(sopSignContent({ b: '', a: '1', B: '2', sign_type: 'RSA', sign: 'zzz' })).toBe('B=2&a=1&b=&sign_type=RSA');
  });

  describe('the vector request, signed with our test key, at its own time', () => {
    let t: TestSandbox;
    beforeAll(async () => {
      t = await startTestSandbox();
      t.sb.clock.set('2019-03-26T17:37:41+08:00');
    });
    afterAll(() => t.close());

    test.each(['RSA2', 'RSA'] as const)('%s: the gateway verifies it and answers a verifiable node', async (signType) => {
      const signed = signSopRequest({ ...VECTOR_PARAMS, sign_type: signType }, APP.privateKey);
      const res = await postGateway(t.http, signed);
      expect(res.body).toEqual({
        alipay_story_get_response: { code: '10000', msg: 'Success', name: '葫芦娃', id: '1', request_id: expect.stringMatching(HEX32) },
        sign: expect.any(String),
      });
      expect(signedNode(res, 'alipay_story_get_response', signType)).toEqual(res.body.alipay_story_get_response);
    });

    test('changing one character of biz_content after signing breaks it', async () => {
      const signed = signSopRequest(VECTOR_PARAMS, APP.privateKey);
      const res = await postGateway(t.http, { ...signed, biz_content: '{"name":"葫芦娃","id":"2"}' });
      expect(res.body.alipay_story_get_response).toEqual({ code: '40002', msg: '非法的参数', sub_code: 'isv.invalid-signature', sub_msg: '无效签名' });
    });
  });
});

describe('verifySopResponse', () => {
  test('checks the exact node text: one changed byte fails', () => {
    const key = createPrivateKey({ key: Buffer.from(BUILTIN_SOP.platformKeys.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
    const nodeText = '{"code":"10000","msg":"Success","name":"葫芦娃"}';
    const body = `{"x_response":${nodeText},"sign":"${rsaSign(nodeText, key, 'sha256')}"}`;
    expect(verifySopResponse(body, PLATFORM_PUBLIC_KEY)).toEqual({ valid: true, key: 'x_response', node: JSON.parse(nodeText), nodeText });
    expect(verifySopResponse(body.replace('葫芦娃', '葫芦兄'), PLATFORM_PUBLIC_KEY).valid).toBe(false);
    expect(verifySopResponse(body, PLATFORM_PUBLIC_KEY, 'RSA').valid).toBe(false);
    expect(verifySopResponse('not json', PLATFORM_PUBLIC_KEY).valid).toBe(false);
  });
});

describe('key formats fixtures may use (core/crypto)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const forms = {
    'PEM PKCS#8': privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    'PEM PKCS#1': privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
    'bare Base64 PKCS#8': privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    'bare Base64 PKCS#1': privateKey.export({ format: 'der', type: 'pkcs1' }).toString('base64'),
  };
  const publicForms = {
    'PEM SPKI': publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    'PEM PKCS#1': publicKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
    'bare Base64 SPKI': publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    'bare Base64 PKCS#1 folded at 64': publicKey
      .export({ format: 'der', type: 'pkcs1' })
      .toString('base64')
      .replace(/(.{64})/g, '$1\n'),
  };

  test.each(Object.entries(forms))('private key as %s signs what the public key verifies', (_form, text) => {
    const sig = rsaSign('a=1&b=2', parsePrivateKey(text), 'sha256');
    expect(rsaVerify('a=1&b=2', sig, publicKey, 'sha256')).toBe(true);
    expect(rsaVerify('a=1&b=3', sig, publicKey, 'sha256')).toBe(false);
  });

  test.each(Object.entries(publicForms))('public key as %s parses to the same key', (_form, text) => {
    expect(parsePublicKey(text).export({ format: 'der', type: 'spki' })).toEqual(publicKey.export({ format: 'der', type: 'spki' }));
  });

  test('text that is no key says what was expected', () => {
    expect(() => parsePrivateKey('-not a key-')).toThrow('expected a PEM private key or bare Base64 (PKCS#8 or PKCS#1 DER)');
    expect(() => parsePrivateKey('AAAA')).toThrow('the Base64 text is not a PKCS#8 or PKCS#1 private key');
    expect(() => parsePublicKey('AAAA')).toThrow('the Base64 text is not an X.509 (SPKI) or PKCS#1 public key');
  });

  test('rsaVerify never throws on garbage signatures', () => {
    expect(rsaVerify('x', '', publicKey, 'sha1')).toBe(false);
    expect(rsaVerify('x', '!!!', publicKey, 'sha256')).toBe(false);
  });

  test('an app whose keys are PEM PKCS#1 works through the gateway', async () => {
    const appId = '2019032617262200009';
    const apps = [...BUILTIN_SOP.apps, { appId, publicKey: publicForms['PEM PKCS#1'], privateKey: forms['PEM PKCS#1'] }];
    const t = await startTestSandbox({ fixtures: [sopFixtureFile({ apps })] });
    try {
      const params = signSopRequest(
        { app_id: appId, method: 'alipay.story.get', charset: 'utf-8', sign_type: 'RSA2', timestamp: '2099-01-01 00:00:00', version: '1.0' },
        forms['PEM PKCS#1'],
      );
      const res = await postGateway(t.http, params);
      expect(res.body.alipay_story_get_response.code).toBe('10000');
    } finally {
      await t.close();
    }
  });

  test('a fixture with a key that does not parse is refused at load, naming the field', async () => {
    const file = sopFixtureFile({ apps: [{ appId: '1', publicKey: 'not a key' }] });
    await expect(Sandbox.create({ fixtures: [file] })).rejects.toThrow(
      `${file}: sop.apps[0].publicKey: expected an RSA public key (PEM, or bare Base64 as SOP and Alipay tools print it: X.509 SubjectPublicKeyInfo or PKCS#1)`,
    );
  });
});
