import { zjrcClientSign } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, authorize, B64, bizError, body, call, HEX32, M, verified, WEAK_USER } from '../helpers/zjrc.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
});
afterEach(() => t.close());

const now = () => t.sb.clock.now();
const exchange = (biz: Record<string, unknown>) => call(t.http, body(M.openId, biz, now()));
const signed = (code: string, extra: Record<string, unknown> = {}) => exchange({ code, clientSign: zjrcClientSign(code, APP.clientSecret), ...extra });

describe('zjrcuoip.oauth.get.openId.new: code + clientSign → openId and tokens', () => {
  test('success: exact body, string expiresIn, bizContent a JSON string, response signed by the platform', async () => {
    const code = await authorize(t.http, { scope: 'get_nor_user_info' });
    const res = await signed(code, { scopeList: [{ scopeName: 'get_nor_user_info' }], authType: '1' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.body).toEqual({ code: '000000', msg: '成功', bizCode: '0', bizMsg: '成功', bizContent: expect.any(String), sign: expect.stringMatching(B64) });
    expect(Object.keys(res.body)).toEqual(['code', 'msg', 'bizCode', 'bizMsg', 'bizContent', 'sign']);
    expect(JSON.parse(res.body.bizContent)).toEqual({
      openId: expect.stringMatching(HEX32),
      accessToken: expect.stringMatching(HEX32),
      expiresIn: '7200',
      refreshToken: expect.stringMatching(HEX32),
    });
    expect(verified(res)).toBe(true);
  });

  test('openId is stable for one user and app, and differs between users', async () => {
    const first = JSON.parse((await signed(await authorize(t.http))).body.bizContent);
    const second = JSON.parse((await signed(await authorize(t.http))).body.bizContent);
    const other = JSON.parse((await signed(await authorize(t.http, { user: WEAK_USER }))).body.bizContent);
    expect(second.openId).toBe(first.openId);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(other.openId).not.toBe(first.openId);
  });
});

describe('openId.new failures: code 000000, each its own bizCode, signed', () => {
  test('missing code and clientSign', async () => {
    const res = await exchange({});
    expect(res.body).toEqual(bizError('200001', '缺少业务参数: code, clientSign'));
    expect(verified(res)).toBe(true);
  });

  test('bad clientSign (the client_secret itself is not the clientSign); the code is not spent', async () => {
    const code = await authorize(t.http);
    const res = await exchange({ code, clientSign: APP.clientSecret });
    expect(res.body).toEqual(bizError('200003', 'clientSign校验失败: expected HMAC-SHA1(code, client_secret) as lower-case hex (40 characters)'));
    expect(verified(res)).toBe(true);
    expect((await signed(code)).body.bizCode).toBe('0');
  });

  test('Base64 clientSign is refused by default (fixture clientSignEncoding switches it on)', async () => {
    const code = await authorize(t.http);
    const res = await exchange({ code, clientSign: zjrcClientSign(code, APP.clientSecret, 'base64') });
    expect(res.body.bizCode).toBe('200003');
  });

  test('upper-case hex clientSign is accepted', async () => {
    const code = await authorize(t.http);
    const res = await exchange({ code, clientSign: zjrcClientSign(code, APP.clientSecret).toUpperCase() });
    expect(res.body.bizCode).toBe('0');
  });

  test('unknown code', async () => {
    const res = await signed('0123456789abcdef0123456789abcdef');
    expect(res.body).toEqual(bizError('200004', '授权码无效'));
  });

  test('used code: single use', async () => {
    const code = await authorize(t.http);
    expect((await signed(code)).body.bizCode).toBe('0');
    const res = await signed(code);
    expect(res.body).toEqual(bizError('200006', '授权码已使用'));
  });

  test('expired code: after 300 s of sandbox time', async () => {
    const fresh = await authorize(t.http);
    const stale = await authorize(t.http);
    t.sb.clock.advance('299s');
    expect((await signed(fresh)).body.bizCode).toBe('0');
    t.sb.clock.advance('2s');
    const res = await signed(stale);
    expect(res.body).toEqual(bizError('200005', '授权码已过期'));
  });

  test('scopeList asking for more than the user granted', async () => {
    const code = await authorize(t.http, { scope: 'get_nor_user_info' });
    const res = await signed(code, { scopeList: [{ scopeName: 'get_nor_user_info' }, { scopeName: 'get_core_user_info' }] });
    expect(res.body).toEqual(bizError('200017', '授权范围未获授权: get_core_user_info'));
  });

  test('unknown scope name', async () => {
    const code = await authorize(t.http);
    const res = await signed(code, { scopeList: [{ scopeName: 'get_all_the_things' }] });
    expect(res.body).toEqual(bizError('200016', '授权范围不存在: get_all_the_things'));
  });

  test('scopeList of the wrong shape', async () => {
    const code = await authorize(t.http);
    const res = await signed(code, { scopeList: 'get_nor_user_info' });
    expect(res.body).toEqual(bizError('200002', '业务参数不合法: scopeList must be an array of {"scopeName": "..."}'));
  });

  test('code of the wrong type', async () => {
    const res = await exchange({ code: { x: 1 }, clientSign: 'abc' });
    expect(res.body).toEqual(bizError('200002', '业务参数不合法: code must be a string, got {"x":1}'));
  });
});
