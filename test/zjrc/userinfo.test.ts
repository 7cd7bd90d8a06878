import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { bizError, bizOf, body, call, getTokens, M, verified, WEAK_USER, type ZjrcTokens } from '../helpers/zjrc.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const now = () => t.sb.clock.now();
const scopeList = (...names: string[]) => names.map((scopeName) => ({ scopeName }));
const userinfo = (tokens: Pick<ZjrcTokens, 'openId' | 'accessToken'>, extra: Record<string, unknown> = {}) =>
  call(t.http, body(M.userinfo, { openId: tokens.openId, accessToken: tokens.accessToken, ...extra }, now()));

const PROFILE = {
  nickname: '丰收测试用户',
  avatar: 'https://sandbox.invalid/avatar/13900000000.png',
  mobile: '13900000000',
  idNumber: '330102199001011234',
  cardNumber: '6230910000000000001',
};

describe('zjrcuoip.system.oauth.userinfo.query.new: exactly the fields each scope reveals', () => {
  test.each([
    ['get_default_user_info', []],
    ['get_nor_user_info', ['nickname', 'avatar']],
    ['get_associate_user_info', ['nickname', 'avatar', 'mobile']],
    ['get_tight_user_info', ['nickname', 'avatar', 'mobile', 'idNumber']],
    ['get_core_user_info', ['nickname', 'avatar', 'mobile', 'idNumber', 'cardNumber']],
    ['get_weak_user_info', ['mobile']],
  ] as const)('%s → openId + %j', async (scope, fields) => {
    const tokens = await getTokens(t.http, now, { scope });
    const res = await userinfo(tokens, { scopeList: scopeList(scope) });
    expect(res.body).toEqual({ code: '000000', msg: '成功', bizCode: '0', bizMsg: '成功', bizContent: expect.any(String), sign: expect.any(String) });
    expect(verified(res)).toBe(true);
    const expected: Record<string, string> = { openId: tokens.openId };
    for (const f of fields) expected[f] = PROFILE[f];
    expect(JSON.parse(res.body.bizContent)).toEqual(expected);
    expect(Object.keys(JSON.parse(res.body.bizContent))).toEqual(['openId', ...fields]);
  });

  test('without scopeList: the union of every granted scope', async () => {
    const tokens = await getTokens(t.http, now, { scope: 'get_nor_user_info get_weak_user_info' });
    expect(bizOf(await userinfo(tokens))).toEqual({ openId: tokens.openId, nickname: PROFILE.nickname, avatar: PROFILE.avatar, mobile: PROFILE.mobile });
  });

  test('a token may ask for fewer scopes than it holds', async () => {
    const tokens = await getTokens(t.http, now, { scope: 'get_core_user_info get_nor_user_info' });
    expect(bizOf(await userinfo(tokens, { scopeList: scopeList('get_nor_user_info') }))).toEqual({
      openId: tokens.openId,
      nickname: PROFILE.nickname,
      avatar: PROFILE.avatar,
    });
  });

  test('scopes are granted by name: a core token does not hold get_default_user_info', async () => {
    const tokens = await getTokens(t.http, now, { scope: 'get_core_user_info' });
    expect((await userinfo(tokens, { scopeList: scopeList('get_default_user_info') })).body).toEqual(
      bizError('200017', '授权范围未获授权: get_default_user_info'),
    );
  });

  test('fields the user does not have are left out (weakly-authenticated user)', async () => {
    const tokens = await getTokens(t.http, now, { scope: 'get_weak_user_info get_nor_user_info', user: WEAK_USER });
    expect(bizOf(await userinfo(tokens))).toEqual({
      openId: tokens.openId,
      mobile: '13900000001',
      nickname: '弱实名用户',
      avatar: 'https://sandbox.invalid/avatar/13900000001.png',
    });
  });
});

describe('userinfo failures', () => {
  test('asking for more than the token was granted is a business error naming the scopes', async () => {
    const tokens = await getTokens(t.http, now, { scope: 'get_nor_user_info' });
    const res = await userinfo(tokens, { scopeList: scopeList('get_nor_user_info', 'get_tight_user_info', 'get_core_user_info') });
    expect(res.body).toEqual(bizError('200017', '授权范围未获授权: get_tight_user_info, get_core_user_info'));
    expect(verified(res)).toBe(true);
  });

  test('unknown scope name', async () => {
    const tokens = await getTokens(t.http, now, { scope: 'get_nor_user_info' });
    expect((await userinfo(tokens, { scopeList: scopeList('get_secret_user_info') })).body).toEqual(bizError('200016', '授权范围不存在: get_secret_user_info'));
  });

  test('missing openId and accessToken', async () => {
    const res = await call(t.http, body(M.userinfo, {}, now()));
    expect(res.body).toEqual(bizError('200001', '缺少业务参数: openId, accessToken'));
  });

  test('unknown access token', async () => {
    const tokens = await getTokens(t.http, now);
    expect((await userinfo({ openId: tokens.openId, accessToken: 'ffffffffffffffffffffffffffffffff' })).body).toEqual(bizError('200012', '访问令牌无效'));
  });

  test('a refresh token is not an access token', async () => {
    const tokens = await getTokens(t.http, now);
    expect((await userinfo({ openId: tokens.openId, accessToken: tokens.refreshToken })).body).toEqual(bizError('200012', '访问令牌无效'));
  });

  test('openId of another user', async () => {
    const mine = await getTokens(t.http, now);
    const theirs = await getTokens(t.http, now, { user: WEAK_USER });
    expect((await userinfo({ openId: theirs.openId, accessToken: mine.accessToken })).body).toEqual(bizError('200015', 'openId与令牌不匹配'));
  });
});

describe('access token expiry by the sandbox clock (7200 s)', () => {
  let sb: TestSandbox;
  beforeEach(async () => {
    sb = await startTestSandbox();
  });
  afterEach(() => sb.close());

  test('works at 7199 s, expired at 7200 s', async () => {
    const at = () => sb.sb.clock.now();
    const tokens = await getTokens(sb.http, at, { scope: 'get_nor_user_info' });
    sb.sb.clock.advance('7199s');
    const ok = await call(sb.http, body(M.userinfo, { openId: tokens.openId, accessToken: tokens.accessToken }, at()));
    expect(ok.body.bizCode).toBe('0');
    sb.sb.clock.advance('1s');
    const expired = await call(sb.http, body(M.userinfo, { openId: tokens.openId, accessToken: tokens.accessToken }, at()));
    expect(expired.body).toEqual(bizError('200013', '访问令牌已过期'));
    expect(verified(expired)).toBe(true);
  });
});
