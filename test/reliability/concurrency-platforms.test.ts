import { zjrcClientSign } from '../../src/index.js';
import { postOnce } from '../helpers/http-post.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { login as usercenterLogin, REFRESH_USED } from '../helpers/usercenter.js';
import { form, gatewayParams, getTokens as sopTokens, tokenBiz } from '../helpers/sop.js';
import { APP as Z_APP, body as zjrcBody, GATEWAY, getTokens as zjrcTokens, M } from '../helpers/zjrc.js';
import { closeAgent } from './fuzz-http.js';
import { sopCode, zjrcCode } from './pooled-codes.js';

/**
 * The guarantees test/reliability/concurrency.test.ts shows for Mantun, on the other platforms: each
 * single-use refresh token is spent by exactly one of 100 simultaneous refreshes, and 1 000
 * simultaneous exchanges of distinct codes all succeed without handing out any token twice.
 */
let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ seed: 'concurrency' });
});
afterAll(async () => {
  closeAgent();
  await t.close();
});

async function post(path: string, body: string, type: string): Promise<Record<string, any>> {
  const res = await postOnce(`${t.sb.url}${path}`, body, type);
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as Record<string, any>;
}
const postJson = (path: string, body: unknown) => post(path, JSON.stringify(body), 'application/json');
const postForm = (path: string, params: Record<string, string>) => post(path, form(params), 'application/x-www-form-urlencoded');
const times = <T>(n: number, f: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

describe('100 concurrent refreshes of one refresh token: exactly one success', () => {
  test('UserCenter (single-use, after the access token expired): one new pair, 99 × status 0 "may be refresh token have used already"', async () => {
    const tokens = await usercenterLogin(t.http);
    t.sb.clock.advance('86401s');
    const answers = await times(100, () => postJson('/oauth/refreshAccessToken', { refresh_token: tokens.refreshToken }));
    const ok = answers.filter((a) => a.status === 1);
    expect(ok).toHaveLength(1);
    expect(JSON.parse(ok[0].result).refreshToken).not.toBe(tokens.refreshToken);
    expect(answers.filter((a) => a.status !== 1)).toEqual(Array.from({ length: 99 }, () => ({ status: 0, msg: REFRESH_USED })));
  });

  test('SOP open.auth.token.app refresh_token grant: one new pair, 99 × invalid_token', async () => {
    const tokens = await sopTokens(t.http, t.sb.clock.now());
    const params = gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'refresh_token', refresh_token: tokens.app_refresh_token }));
    const nodes = (await times(100, () => postForm('/', params))).map((a) => a.open_auth_token_app_response as Record<string, unknown>);
    const ok = nodes.filter((n) => typeof n.app_auth_token === 'string');
    expect(ok).toHaveLength(1);
    expect(ok[0].app_refresh_token).not.toBe(tokens.app_refresh_token);
    expect(nodes.filter((n) => n.error !== undefined).map(({ request_id: _, ...n }) => n)).toEqual(
      Array.from({ length: 99 }, () => ({
        code: '10000',
        msg: 'Success',
        error: 'invalid_token',
        error_description: 'invalid token',
        expires_in: -1,
        re_expires_in: -1,
      })),
    );
  });

  test('ZJRC refresh.new: one new pair, 99 × bizCode 200009 刷新令牌已使用', async () => {
    const tokens = await zjrcTokens(t.http, () => t.sb.clock.now());
    const request = zjrcBody(
      M.refresh,
      { openId: tokens.openId, refreshToken: tokens.refreshToken, clientSign: zjrcClientSign(tokens.refreshToken, Z_APP.clientSecret) },
      t.sb.clock.now(),
    );
    const answers = await times(100, () => postJson(GATEWAY, request));
    const ok = answers.filter((a) => a.bizCode === '0');
    expect(ok).toHaveLength(1);
    expect(JSON.parse(ok[0].bizContent).refreshToken).not.toBe(tokens.refreshToken);
    expect(answers.filter((a) => a.bizCode !== '0').map(({ sign: _, ...a }) => a)).toEqual(
      Array.from({ length: 99 }, () => ({ code: '000000', msg: '成功', bizCode: '200009', bizMsg: '刷新令牌已使用' })),
    );
  });
});

describe('1 000 concurrent exchanges of distinct codes: all succeed, no token issued twice', () => {
  test('ZJRC zjrcuoip.oauth.get.openId.new', async () => {
    const codes = await times(1000, () => zjrcCode(t.sb.url));
    expect(new Set(codes).size).toBe(1000);
    const now = t.sb.clock.now();
    const answers = await times(1000, (i) =>
      postJson(GATEWAY, zjrcBody(M.openId, { code: codes[i], clientSign: zjrcClientSign(codes[i], Z_APP.clientSecret) }, now)),
    );
    expect(answers.filter((a) => a.bizCode !== '0')).toEqual([]);
    const biz = answers.map((a) => JSON.parse(a.bizContent) as Record<string, string>);
    expect(new Set(biz.map((b) => b.accessToken)).size).toBe(1000);
    expect(new Set(biz.map((b) => b.refreshToken)).size).toBe(1000);
  }, 60_000);

  test('SOP open.auth.token.app authorization_code grant', async () => {
    const codes = await times(1000, () => sopCode(t.sb.url));
    expect(new Set(codes).size).toBe(1000);
    const now = t.sb.clock.now();
    const answers = await times(1000, (i) =>
      postForm('/gateway.do', gatewayParams('open.auth.token.app', now, tokenBiz({ grant_type: 'authorization_code', code: codes[i] }))),
    );
    const nodes = answers.map((a) => a.open_auth_token_app_response as Record<string, string>);
    expect(nodes.filter((n) => typeof n.app_auth_token !== 'string')).toEqual([]);
    expect(new Set(nodes.map((n) => n.app_auth_token)).size).toBe(1000);
    expect(new Set(nodes.map((n) => n.app_refresh_token)).size).toBe(1000);
  }, 60_000);
});
