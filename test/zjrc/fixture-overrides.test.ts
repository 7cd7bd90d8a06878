import { zjrcClientSign, zjrcSign, zjrcTimestamp, zjrcVerifyResponse } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import {
  APP,
  authorize,
  BUILTIN,
  bizError,
  bizOf,
  body,
  call,
  fixtureFile,
  getTokens,
  M,
  PLATFORM_PUBLIC_KEY,
  removeFixtureFiles,
  USER,
} from '../helpers/zjrc.js';

/** Every "Assumed" choice of docs/platforms/zjrc.md#assumed-choices is a fixture setting: each test starts a sandbox with one changed. */
let t: TestSandbox | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});
afterAll(removeFixtureFiles);

async function start(section: Record<string, unknown>, builtinFixtures = true): Promise<TestSandbox> {
  t = await startTestSandbox({ fixtures: [fixtureFile(section)], builtinFixtures });
  return t;
}
const nowOf = (s: TestSandbox) => () => s.sb.clock.now();

describe('clientSignEncoding', () => {
  test('"either" accepts hex and Base64', async () => {
    const s = await start({ clientSignEncoding: 'either' });
    for (const encoding of ['hex', 'base64'] as const) {
      const code = await authorize(s.http);
      const res = await call(s.http, body(M.openId, { code, clientSign: zjrcClientSign(code, APP.clientSecret, encoding) }, s.sb.clock.now()));
      expect(res.body.bizCode).toBe('0');
    }
  });

  test('"base64" accepts Base64 and refuses hex, saying which encoding it wants', async () => {
    const s = await start({ clientSignEncoding: 'base64' });
    const code = await authorize(s.http);
    const hex = await call(s.http, body(M.openId, { code, clientSign: zjrcClientSign(code, APP.clientSecret) }, s.sb.clock.now()));
    expect(hex.body).toEqual(bizError('200003', 'clientSign校验失败: expected HMAC-SHA1(code, client_secret) as Base64 (28 characters)'));
    const b64 = await call(s.http, body(M.openId, { code, clientSign: zjrcClientSign(code, APP.clientSecret, 'base64') }, s.sb.clock.now()));
    expect(b64.body.bizCode).toBe('0');
  });
});

describe('message format', () => {
  test('field names and success codes', async () => {
    const s = await start({
      fields: { appId: 'app_id', bizContent: 'biz_content', sign: 'signature', code: 'retCode', msg: 'retMsg' },
      successCode: '0000',
      successMsg: 'OK',
      bizSuccessCode: '000',
      bizSuccessMsg: 'done',
    });
    const code = await authorize(s.http);
    const fields: Record<string, string> = {
      app_id: APP.appId,
      method: M.openId,
      version: '1.0.0',
      timestamp: zjrcTimestamp(s.sb.clock.now()),
      biz_content: JSON.stringify({ code, clientSign: zjrcClientSign(code, APP.clientSecret) }),
      signType: 'RSA2',
    };
    fields.signature = zjrcSign(fields, APP.privateKey);
    const res = await call(s.http, fields);
    expect(res.body).toEqual({ retCode: '0000', retMsg: 'OK', bizCode: '000', bizMsg: 'done', biz_content: expect.any(String), signature: expect.any(String) });
    expect(zjrcVerifyResponse({ ...res.body, sign: res.body.signature, signature: undefined }, PLATFORM_PUBLIC_KEY)).toBe(true);
    const failed = await call(s.http, { ...fields, app_id: 'NOPE' });
    expect(failed.body).toEqual({ retCode: '100003', retMsg: '应用不存在: NOPE', signature: expect.any(String) });
  });

  test('a renamed method field: fault rules by method and by tag still reach the call, and the journal names the method', async () => {
    const s = await start({ fields: { method: 'apiName' } });
    await s.http
      .post('/__sandbox/faults')
      .send({ id: 'by-method', platform: 'zjrc', method: M.openId, first: 1, respond: { status: 503, body: 'by method' } })
      .expect(201);
    await s.http
      .post('/__sandbox/faults')
      .send({ id: 'by-tag', platform: 'zjrc', tag: 'refresh', first: 1, respond: { status: 503, body: 'by tag' } })
      .expect(201);
    const signed = (method: string, biz: Record<string, unknown>): Record<string, string> => {
      const fields: Record<string, string> = {
        appId: APP.appId,
        apiName: method,
        version: '1.0.0',
        timestamp: zjrcTimestamp(s.sb.clock.now()),
        bizContent: JSON.stringify(biz),
        signType: 'RSA2',
      };
      return { ...fields, sign: zjrcSign(fields, APP.privateKey) };
    };
    const code = await authorize(s.http);
    const first = await call(s.http, signed(M.openId, { code, clientSign: zjrcClientSign(code, APP.clientSecret) }));
    expect([first.status, first.text]).toEqual([503, 'by method']);
    const tokens = bizOf(await call(s.http, signed(M.openId, { code, clientSign: zjrcClientSign(code, APP.clientSecret) })));
    const refreshToken = tokens.refreshToken as string;
    const refreshed = await call(
      s.http,
      signed(M.refresh, { openId: tokens.openId, refreshToken, clientSign: zjrcClientSign(refreshToken, APP.clientSecret) }),
    );
    expect([refreshed.status, refreshed.text]).toEqual([503, 'by tag']);
    const journal = (await s.http.get('/__sandbox/requests?platform=zjrc&endpoint=gateway.do')).body.requests as { apiMethod?: string; rule?: string }[];
    expect(journal.map((e) => [e.apiMethod, e.rule])).toEqual([
      [M.refresh, 'by-tag'],
      [M.openId, undefined],
      [M.openId, 'by-method'],
    ]);
    expect((await s.http.get(`/__sandbox/requests?method=${M.refresh}`)).body.count).toBe(1);
  });

  test('signExclude leaves signType out of the signed text', async () => {
    const s = await start({ signExclude: ['signType'] });
    const fields = body(M.userinfo, { openId: 'x', accessToken: 'y' }, s.sb.clock.now());
    expect((await call(s.http, fields)).body.code).toBe('100007');
    const { sign: _old, ...unsigned } = fields;
    const res = await call(s.http, { ...unsigned, sign: zjrcSign(unsigned, APP.privateKey, 'RSA2', { exclude: ['sign', 'signType'] }) });
    expect(res.body).toEqual(bizError('200012', '访问令牌无效'));
  });

  test('signIncludeEmpty signs empty fields too', async () => {
    const s = await start({ signIncludeEmpty: true });
    const base = body(M.userinfo, { openId: 'x', accessToken: 'y' }, s.sb.clock.now(), { dlpId: '' });
    expect((await call(s.http, base)).body.code).toBe('100007');
    const { sign: _old, ...unsigned } = base;
    const res = await call(s.http, { ...unsigned, sign: zjrcSign(unsigned, APP.privateKey, 'RSA2', { includeEmpty: true }) });
    expect(res.body.bizCode).toBe('200012');
  });

  test('bizContentFormat "object" nests bizContent, and the signature covers its JSON text', async () => {
    const s = await start({ bizContentFormat: 'object' });
    const code = await authorize(s.http);
    const res = await call(s.http, body(M.openId, { code, clientSign: zjrcClientSign(code, APP.clientSecret) }, s.sb.clock.now()));
    expect(res.body.bizContent).toEqual({ openId: expect.any(String), accessToken: expect.any(String), expiresIn: '7200', refreshToken: expect.any(String) });
    expect(zjrcVerifyResponse(res.body, PLATFORM_PUBLIC_KEY)).toBe(true);
  });

  test('versions [] accepts any version; timestampToleranceSeconds 0 turns the window off', async () => {
    const s = await start({ versions: [], timestampToleranceSeconds: 0 });
    const res = await call(s.http, body(M.userinfo, { openId: 'x', accessToken: 'y' }, s.sb.clock.now() - 86_400_000, { version: '9.9' }));
    expect(res.body.bizCode).toBe('200012');
  });

  test('error codes and texts per kind', async () => {
    const s = await start({
      errors: { invalid_access_token: { code: '9001', message: 'token bad' }, unknown_method: { code: 'E404', message: 'no {detail}' } },
    });
    expect((await call(s.http, body(M.userinfo, { openId: 'x', accessToken: 'y' }, s.sb.clock.now()))).body).toEqual(bizError('9001', 'token bad'));
    expect((await call(s.http, body('x.y', {}, s.sb.clock.now()))).body).toEqual({ code: 'E404', msg: 'no x.y', sign: expect.any(String) });
  });

  test('without platform keys the answers are unsigned', async () => {
    const { platformKeys: _keys, ...rest } = BUILTIN.zjrc;
    const s = await start(rest, false);
    const res = await call(s.http, body(M.userinfo, { openId: 'x', accessToken: 'y' }, s.sb.clock.now()));
    expect(res.body).toEqual({ code: '000000', msg: '成功', bizCode: '200012', bizMsg: '访问令牌无效' });
  });
});

describe('fixture validation', () => {
  test('a key that does not parse fails the load, naming the JSON path', async () => {
    const file = fixtureFile({ apps: [{ ...BUILTIN.zjrc.apps[0], publicKey: 'not a key!' }] });
    await expect(startTestSandbox({ fixtures: [file] })).rejects.toThrow(
      `${file}: zjrc.apps[0].publicKey: expected an RSA public key (expected a PEM public key or bare Base64 (X.509 SubjectPublicKeyInfo or PKCS#1 DER))`,
    );
  });

  test('an unknown scope in an app is refused', async () => {
    const file = fixtureFile({ apps: [{ ...BUILTIN.zjrc.apps[0], scopes: ['get_everything'] }] });
    await expect(startTestSandbox({ fixtures: [file] })).rejects.toThrow(
      /zjrc\.apps\[0\]\.scopes\[0\]: expected one of get_default_user_info, get_nor_user_info, /,
    );
  });
});

describe('lifetimes, scopes and apps', () => {
  test('policy lifetimes: expiresIn reports the configured access life', async () => {
    const s = await start({ policy: { lifetimes: { access: 60 } } });
    expect((await getTokens(s.http, nowOf(s))).expiresIn).toBe('60');
  });

  test('scopeFields changes what a scope reveals', async () => {
    const s = await start({ scopeFields: { get_nor_user_info: ['openId', 'nickname'] } });
    const tokens = await getTokens(s.http, nowOf(s), { scope: 'get_nor_user_info' });
    const res = await call(s.http, body(M.userinfo, { openId: tokens.openId, accessToken: tokens.accessToken }, s.sb.clock.now()));
    expect(bizOf(res)).toEqual({ openId: tokens.openId, nickname: '丰收测试用户' });
  });

  describe('a second app', () => {
    const APP2 = {
      ...BUILTIN.zjrc.apps[0],
      appId: 'ZJRC0000000002',
      clientSecret: 'ffffeeeeddddccccbbbbaaaa99998888',
      redirectUris: ['http://localhost:4000/cb?from=zjrc'],
      scopes: ['get_default_user_info', 'get_nor_user_info'],
    };
    const section = {
      apps: [BUILTIN.zjrc.apps[0], APP2],
      users: [...BUILTIN.zjrc.users, { username: 'app2only', password: 'pw', apps: ['ZJRC0000000002'] }],
    };
    const as2 = (method: string, biz: Record<string, unknown>, now: number) => body(method, biz, now, { appId: APP2.appId });

    test('codes and tokens of one app are unknown to the other; openIds differ per app', async () => {
      const s = await start(section);
      const tokens = await getTokens(s.http, nowOf(s));
      const code = await authorize(s.http);
      const res = await call(s.http, as2(M.openId, { code, clientSign: zjrcClientSign(code, APP2.clientSecret) }, s.sb.clock.now()));
      expect(res.body).toEqual(bizError('200004', '授权码无效'));
      expect((await call(s.http, as2(M.userinfo, { openId: tokens.openId, accessToken: tokens.accessToken }, s.sb.clock.now()))).body).toEqual(
        bizError('200012', '访问令牌无效'),
      );
      expect(
        (
          await call(
            s.http,
            as2(
              M.refresh,
              { openId: tokens.openId, refreshToken: tokens.refreshToken, clientSign: zjrcClientSign(tokens.refreshToken, APP2.clientSecret) },
              s.sb.clock.now(),
            ),
          )
        ).body,
      ).toEqual(bizError('200007', '刷新令牌无效'));

      const page = await s.http
        .post('/zjrc/oauth/authorize')
        .type('form')
        .send(new URLSearchParams({ appId: APP2.appId, redirectUri: APP2.redirectUris[0], scope: 'get_nor_user_info', ...USER }).toString());
      expect(page.status).toBe(302);
      // A registered redirectUri with a query keeps it; the code is appended.
      expect(page.headers.location).toMatch(/^http:\/\/localhost:4000\/cb\?from=zjrc&code=[0-9a-f]{32}$/);
      const code2 = new URL(page.headers.location as string).searchParams.get('code') as string;
      const other = bizOf(await call(s.http, as2(M.openId, { code: code2, clientSign: zjrcClientSign(code2, APP2.clientSecret) }, s.sb.clock.now())));
      expect(other.openId).not.toBe(tokens.openId);
    });

    test('the page refuses scopes the app may not ask for, and users limited to other apps', async () => {
      const s = await start(section);
      const denied = await s.http.get(
        `/zjrc/oauth/authorize?${new URLSearchParams({ appId: APP2.appId, redirectUri: APP2.redirectUris[0], scope: 'get_core_user_info' }).toString()}`,
      );
      expect(denied.status).toBe(400);
      expect(denied.text).toContain('<p class="error" id="error">应用无权申请授权范围: get_core_user_info</p>');
      const login = await s.http
        .post('/zjrc/oauth/authorize')
        .type('form')
        .send(new URLSearchParams({ appId: APP.appId, redirectUri: APP.redirectUri, username: 'app2only', password: 'pw' }).toString());
      expect(login.status).toBe(200);
      expect(login.text).toContain('<p class="error" id="error">该用户不能授权此应用</p>');
    });
  });
});
