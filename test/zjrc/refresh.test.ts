import { zjrcClientSign } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, B64, bizError, bizOf, body, call, getTokens, HEX32, M, verified, WEAK_USER, type ZjrcTokens } from '../helpers/zjrc.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
});
afterEach(() => t.close());

const now = () => t.sb.clock.now();
const refreshNew = (openId: string, refreshToken: string, extra: Record<string, unknown> = {}) =>
  call(t.http, body(M.refresh, { openId, refreshToken, clientSign: zjrcClientSign(refreshToken, APP.clientSecret), ...extra }, now()));
const refreshOld = (openId: string, extra: Record<string, unknown> = {}) =>
  call(t.http, body(M.refreshOld, { openId, clientSign: zjrcClientSign(openId, APP.clientSecret), ...extra }, now()));
const userinfo = (tokens: Pick<ZjrcTokens, 'openId' | 'accessToken'>) =>
  call(t.http, body(M.userinfo, { openId: tokens.openId, accessToken: tokens.accessToken }, now()));

describe('zjrcuoip.system.base.oauth.token.refresh.new', () => {
  test('the seed request → a new pair, expiresIn a string, response signed', async () => {
    const first = await getTokens(t.http, now);
    const res = await refreshNew(first.openId, first.refreshToken, { oauthFlag: '2', scopeList: [{ scopeName: 'get_core_user_info' }] });
    expect(res.body).toEqual({ code: '000000', msg: '成功', bizCode: '0', bizMsg: '成功', bizContent: expect.any(String), sign: expect.stringMatching(B64) });
    expect(verified(res)).toBe(true);
    const next = JSON.parse(res.body.bizContent);
    expect(next).toEqual({ accessToken: expect.stringMatching(HEX32), expiresIn: '7200', refreshToken: expect.stringMatching(HEX32) });
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.refreshToken).not.toBe(first.refreshToken);
  });

  test('rotation: the new refresh token works, the old one is refused as used; the old access token lives on', async () => {
    const first = await getTokens(t.http, now, { scope: 'get_nor_user_info' });
    const second = bizOf(await refreshNew(first.openId, first.refreshToken));
    const reuse = await refreshNew(first.openId, first.refreshToken);
    expect(reuse.body).toEqual(bizError('200009', '刷新令牌已使用'));
    expect(verified(reuse)).toBe(true);
    const third = bizOf(await refreshNew(first.openId, second.refreshToken as string));
    expect(third.refreshToken).not.toBe(second.refreshToken);
    // The refreshed tokens keep the scopes the user granted.
    expect(bizOf(await userinfo({ openId: first.openId, accessToken: third.accessToken as string }))).toEqual({
      openId: first.openId,
      nickname: '丰收测试用户',
      avatar: 'https://sandbox.invalid/avatar/13900000000.png',
    });
    expect((await userinfo(first)).body.bizCode).toBe('0');
  });

  test('the refresh token expires after 30 days of sandbox time', async () => {
    const first = await getTokens(t.http, now);
    t.sb.clock.advance('30d');
    expect((await refreshNew(first.openId, first.refreshToken)).body).toEqual(bizError('200008', '刷新令牌已过期'));
  });

  test('a refresh token still works after its access token expired', async () => {
    const first = await getTokens(t.http, now);
    t.sb.clock.advance('7201s');
    expect((await userinfo(first)).body.bizCode).toBe('200013');
    const next = bizOf(await refreshNew(first.openId, first.refreshToken));
    expect((await userinfo({ openId: first.openId, accessToken: next.accessToken as string })).body.bizCode).toBe('0');
  });

  test('bad clientSign (HMAC of the openId instead of the refresh token); the token is not spent', async () => {
    const first = await getTokens(t.http, now);
    const res = await refreshNew(first.openId, first.refreshToken, { clientSign: zjrcClientSign(first.openId, APP.clientSecret) });
    expect(res.body).toEqual(bizError('200003', 'clientSign校验失败: expected HMAC-SHA1(refreshToken, client_secret) as lower-case hex (40 characters)'));
    expect((await refreshNew(first.openId, first.refreshToken)).body.bizCode).toBe('0');
  });

  test('unknown refresh token', async () => {
    const first = await getTokens(t.http, now);
    expect((await refreshNew(first.openId, 'abababababababababababababababab')).body).toEqual(bizError('200007', '刷新令牌无效'));
  });

  test('an access token is not a refresh token', async () => {
    const first = await getTokens(t.http, now);
    expect((await refreshNew(first.openId, first.accessToken)).body).toEqual(bizError('200007', '刷新令牌无效'));
  });

  test('openId of another user; the token is not spent', async () => {
    const mine = await getTokens(t.http, now);
    const theirs = await getTokens(t.http, now, { user: WEAK_USER });
    expect((await refreshNew(theirs.openId, mine.refreshToken)).body).toEqual(bizError('200015', 'openId与令牌不匹配'));
    expect((await refreshNew(mine.openId, mine.refreshToken)).body.bizCode).toBe('0');
  });

  test('scopeList beyond the granted scopes', async () => {
    const first = await getTokens(t.http, now, { scope: 'get_nor_user_info' });
    expect((await refreshNew(first.openId, first.refreshToken, { scopeList: [{ scopeName: 'get_core_user_info' }] })).body).toEqual(
      bizError('200017', '授权范围未获授权: get_core_user_info'),
    );
  });

  test('oauthFlag other than 1, 2, 3', async () => {
    const first = await getTokens(t.http, now);
    expect((await refreshNew(first.openId, first.refreshToken, { oauthFlag: 4 })).body).toEqual(
      bizError('200002', '业务参数不合法: oauthFlag must be 1 (openId), 2 (refresh) or 3 (user info), got 4'),
    );
  });

  test('missing parameters', async () => {
    const res = await call(t.http, body(M.refresh, { openId: 'x' }, now()));
    expect(res.body).toEqual(bizError('200001', '缺少业务参数: refreshToken, clientSign'));
  });
});

describe('the older zjrcuoip.system.base.oauth.token.refresh (openId, clientSign, scopeList)', () => {
  test('refreshes the newest refresh token of the openId; clientSign = HMAC-SHA1(openId, client_secret)', async () => {
    const first = await getTokens(t.http, now);
    const res = await refreshOld(first.openId, { scopeList: [{ scopeName: 'get_core_user_info' }] });
    expect(verified(res)).toBe(true);
    const second = bizOf(res);
    expect(second).toEqual({ accessToken: expect.stringMatching(HEX32), expiresIn: '7200', refreshToken: expect.stringMatching(HEX32) });
    // The old refresh token was the one spent; the next call uses the rotated one.
    expect((await refreshNew(first.openId, first.refreshToken)).body.bizCode).toBe('200009');
    const third = bizOf(await refreshOld(first.openId));
    expect(third.refreshToken).not.toBe(second.refreshToken);
    expect((await userinfo({ openId: first.openId, accessToken: third.accessToken as string })).body.bizCode).toBe('0');
  });

  test('with refreshToken it behaves like the .new method', async () => {
    const first = await getTokens(t.http, now);
    const res = await call(
      t.http,
      body(M.refreshOld, { openId: first.openId, refreshToken: first.refreshToken, clientSign: zjrcClientSign(first.refreshToken, APP.clientSecret) }, now()),
    );
    expect(bizOf(res).expiresIn).toBe('7200');
  });

  test('an openId with no tokens of this app', async () => {
    expect((await refreshOld('0123456789abcdef0123456789abcdef')).body).toEqual(bizError('200007', '刷新令牌无效'));
  });

  test('bad clientSign', async () => {
    const first = await getTokens(t.http, now);
    const res = await refreshOld(first.openId, { clientSign: zjrcClientSign(first.refreshToken, APP.clientSecret) });
    expect(res.body).toEqual(bizError('200003', 'clientSign校验失败: expected HMAC-SHA1(openId, client_secret) as lower-case hex (40 characters)'));
  });

  test('missing parameters', async () => {
    expect((await call(t.http, body(M.refreshOld, {}, now()))).body).toEqual(bizError('200001', '缺少业务参数: openId, clientSign'));
  });

  test('after 30 days the newest refresh token has expired', async () => {
    const first = await getTokens(t.http, now);
    t.sb.clock.advance('30d');
    expect((await refreshOld(first.openId)).body).toEqual(bizError('200008', '刷新令牌已过期'));
  });
});
