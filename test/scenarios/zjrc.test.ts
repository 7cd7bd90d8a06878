import { zjrcClientSign } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, authorize, bizError, bizOf, body, call, gatewayError, getTokens, HEX32, M, verified, type ZjrcTokens } from '../helpers/zjrc.js';
import { networkError } from './support.js';

/**
 * The built-in scenarios on ZJRC. Not applicable here: callback-url-missing (Mantun's); the clock
 * scenarios are platform-neutral (expiry.test.ts).
 */
let t: TestSandbox;
afterEach(() => t.close());

const start = async (scenario: string | string[] = []) => {
  t = await startTestSandbox({ scenario });
};
const now = () => t.sb.clock.now();
const openId = (code: string) => call(t.http, body(M.openId, { code, clientSign: zjrcClientSign(code, APP.clientSecret) }, now()));
const refresh = (tokens: Pick<ZjrcTokens, 'openId' | 'refreshToken'>) =>
  call(
    t.http,
    body(M.refresh, { openId: tokens.openId, refreshToken: tokens.refreshToken, clientSign: zjrcClientSign(tokens.refreshToken, APP.clientSecret) }, now()),
  );
const userinfo = (tokens: Pick<ZjrcTokens, 'openId' | 'accessToken'>) =>
  call(t.http, body(M.userinfo, { openId: tokens.openId, accessToken: tokens.accessToken }, now()));
const pair = (expiresIn: string) => ({ accessToken: expect.stringMatching(HEX32), expiresIn, refreshToken: expect.stringMatching(HEX32) });
const EXPIRED = bizError('200013', '访问令牌已过期');

describe('lifetimes', () => {
  test('expiry-fast: expiresIn "5", then user info says the token expired', async () => {
    await start('expiry-fast');
    const tokens = await getTokens(t.http, now);
    expect(tokens.expiresIn).toBe('5');
    expect((await userinfo(tokens)).body.bizCode).toBe('0');
    t.sb.clock.advance('5s');
    const late = await userinfo(tokens);
    expect(late.body).toEqual(EXPIRED);
    expect(verified(late)).toBe(true);
  });

  test('expired-on-issue: expiresIn "7200", yet the first user-info call fails', async () => {
    await start('expired-on-issue');
    const tokens = await getTokens(t.http, now);
    expect(tokens.expiresIn).toBe('7200');
    expect((await userinfo(tokens)).body).toEqual(EXPIRED);
  });

  test('refresh-expired: the refresh says the refresh token expired', async () => {
    await start('refresh-expired');
    const tokens = await getTokens(t.http, now);
    expect((await refresh(tokens)).body).toEqual(bizError('200008', '刷新令牌已过期'));
  });
});

describe('rotation, grace and codes', () => {
  test('rotation-strict: the replay is refused and the new tokens are revoked with the family', async () => {
    await start('rotation-strict');
    const first = await getTokens(t.http, now);
    const second = bizOf(await refresh(first)) as { accessToken: string; refreshToken: string };
    expect((await refresh(first)).body).toEqual(bizError('200009', '刷新令牌已使用'));
    expect((await userinfo({ openId: first.openId, accessToken: second.accessToken })).body).toEqual(bizError('200014', '访问令牌已注销'));
    expect((await refresh({ openId: first.openId, refreshToken: second.refreshToken })).body).toEqual(bizError('200010', '刷新令牌已注销'));
  });

  test('rotation-lenient: the old refresh token is accepted again', async () => {
    await start('rotation-lenient');
    const first = await getTokens(t.http, now);
    expect(bizOf(await refresh(first))).toEqual(pair('7200'));
    expect(bizOf(await refresh(first))).toEqual(pair('7200'));
  });

  test('grace-10min: the replaced access token works 599 s, then fails (ZJRC keeps it by default)', async () => {
    await start('grace-10min');
    const first = await getTokens(t.http, now);
    await refresh(first);
    t.sb.clock.advance('599s');
    expect((await userinfo(first)).body.bizCode).toBe('0');
    t.sb.clock.advance('1s');
    expect((await userinfo(first)).body).toEqual(EXPIRED);
  });

  test('code-reuse-allowed: one code, two openId answers with different tokens', async () => {
    await start('code-reuse-allowed');
    const code = await authorize(t.http);
    const a = bizOf(await openId(code));
    const b = bizOf(await openId(code));
    expect(b.openId).toBe(a.openId);
    expect(b.accessToken).not.toBe(a.accessToken);
  });

  test('refresh-response-lost: the refresh happened, its answer did not arrive, the retry is refused', async () => {
    await start('refresh-response-lost');
    const first = await getTokens(t.http, now);
    expect(await networkError(refresh(first))).toBe('ECONNRESET');
    expect((await refresh(first)).body).toEqual(bizError('200009', '刷新令牌已使用'));
  });
});

describe('failures', () => {
  test('token-endpoint-500 hits the openId and refresh methods; user info works', async () => {
    await start();
    const tokens = await getTokens(t.http, now);
    await t.sb.scenario.use('token-endpoint-500');
    for (const res of [await openId(await authorize(t.http)), await refresh(tokens)]) {
      expect(res.status).toBe(500);
      expect(res.text).toContain('HTTP Status 500 – Internal Server Error');
    }
    expect((await userinfo(tokens)).body.bizCode).toBe('0');
  });

  test('token-endpoint-slow and connection-reset reach the openId method', async () => {
    await start('token-endpoint-slow');
    expect(await networkError(openId(await authorize(t.http)).timeout(300))).toBe('ECONNABORTED');
    await t.sb.scenario.use('connection-reset');
    expect(await networkError(openId(await authorize(t.http)))).toBe('ECONNRESET');
  });

  test('invalid-signature: every gateway call fails verification, in the signed gateway shape', async () => {
    await start('invalid-signature');
    const res = await openId(await authorize(t.http));
    expect(res.body).toEqual(gatewayError('100007', "验签失败: the signature does not verify with the app's public key"));
    expect(verified(res)).toBe(true);
  });

  test("flaky: some gateway calls get the proxy's 502", async () => {
    await start();
    const tokens = await getTokens(t.http, now);
    await t.sb.scenario.use('flaky');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await userinfo(tokens)).status);
    expect(statuses).toContain(502);
    expect(statuses).toContain(200);
  });
});
