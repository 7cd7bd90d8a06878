import { generateKeyPairSync } from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, getCode, HEX32, PLATFORM_PUBLIC_KEY, sopFixtureFile, USER } from '../helpers/sop.js';

// alipay-sdk stamps requests with the host's local time and the platform reads its own zone (Beijing
// by default): wherever this suite runs, the platform is told the host's zone, as docs/platforms/sop.md says.
let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ fixtures: [sopFixtureFile({ utcOffsetMinutes: -new Date().getTimezoneOffset() })] });
});
afterAll(() => t.close());

const sdkFor = (gateway: string, overrides: { privateKey?: string; alipayPublicKey?: string } = {}) =>
  new AlipaySdk({
    appId: APP.appId,
    privateKey: overrides.privateKey ?? APP.privateKey,
    keyType: 'PKCS8',
    alipayPublicKey: overrides.alipayPublicKey ?? PLATFORM_PUBLIC_KEY,
    gateway,
  });

describe('the npm alipay-sdk (v4) against the sandbox, unchanged', () => {
  test.each(['/gateway.do', '/'])('code → token → refresh with response signature verification (gateway %s)', async (path) => {
    const sdk = sdkFor(`${t.sb.url}${path}`);
    const code = await getCode(t.http);

    const token = await sdk.exec('open.auth.token.app', { bizContent: { grant_type: 'authorization_code', code } }, { validateSign: true });
    expect(token).toEqual({
      code: '10000',
      msg: 'Success',
      appAuthToken: expect.stringMatching(HEX32),
      appRefreshToken: expect.stringMatching(HEX32),
      userId: USER.userId,
      expiresIn: -1,
      reExpiresIn: -3,
      requestId: expect.stringMatching(HEX32),
    });

    const refreshed = await sdk.exec(
      'open.auth.token.app',
      { bizContent: { grant_type: 'refresh_token', refresh_token: token.appRefreshToken } },
      { validateSign: true },
    );
    expect(refreshed).toEqual({
      code: '10000',
      msg: 'Success',
      appAuthToken: expect.stringMatching(HEX32),
      appRefreshToken: expect.stringMatching(HEX32),
      userId: USER.userId,
      expiresIn: -1,
      reExpiresIn: -3,
      requestId: expect.stringMatching(HEX32),
    });
    expect(refreshed.appAuthToken).not.toBe(token.appAuthToken);

    // The SDK sent the public params in the query string and biz_content in the form body.
    const [entry] = t.sb.requests({ platform: 'sop', endpoint: 'gateway', limit: 1 });
    expect(entry.request.query).toMatchObject({ app_id: APP.appId, method: 'open.auth.token.app', sign_type: 'RSA2', charset: 'utf-8', version: '1.0' });
    expect(entry.request.query).not.toHaveProperty('biz_content');
  });

  test('a business method that needs the token gets it through app_auth_token', async () => {
    const sdk = sdkFor(`${t.sb.url}/gateway.do`);
    const token = await sdk.exec(
      'open.auth.token.app',
      { bizContent: { grant_type: 'authorization_code', code: await getCode(t.http) } },
      { validateSign: true },
    );
    const info = await sdk.exec('sandbox.merchant.info.get', { app_auth_token: token.appAuthToken }, { validateSign: true });
    expect(info).toEqual({
      code: '10000',
      msg: 'Success',
      merchantName: 'Sandbox demo merchant',
      merchantNo: 'M0000000001',
      requestId: expect.stringMatching(HEX32),
    });
  });

  test('service errors come back signed and readable: a spent code', async () => {
    const sdk = sdkFor(`${t.sb.url}/gateway.do`);
    const code = await getCode(t.http);
    await sdk.exec('open.auth.token.app', { bizContent: { grant_type: 'authorization_code', code } }, { validateSign: true });
    const again = await sdk.exec('open.auth.token.app', { bizContent: { grant_type: 'authorization_code', code } }, { validateSign: true });
    expect(again).toEqual({
      code: '10000',
      msg: 'Success',
      error: 'invalid_request',
      errorDescription: 'invalid request',
      expiresIn: -1,
      reExpiresIn: -1,
      requestId: expect.stringMatching(HEX32),
    });
  });

  test('a request signed with another key is refused with isv.invalid-signature', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const sdk = sdkFor(`${t.sb.url}/gateway.do`, { privateKey: other });
    const res = await sdk.exec('open.auth.token.app', { bizContent: { grant_type: 'authorization_code', code: 'x' } }, { validateSign: true });
    expect(res).toEqual({ code: '40002', msg: '非法的参数', subCode: 'isv.invalid-signature', subMsg: '无效签名' });
  });

  test('the SDK rejects the answer when it holds the wrong platform public key (the signature is real)', async () => {
    const wrong = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const sdk = sdkFor(`${t.sb.url}/gateway.do`, { alipayPublicKey: wrong });
    await expect(
      sdk.exec('open.auth.token.app', { bizContent: { grant_type: 'authorization_code', code: await getCode(t.http) } }, { validateSign: true }),
    ).rejects.toThrow(/验签失败/);
  });
});
