import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { verifySopResponse } from '../../src/index.js';
import { getCode as mantunCode, MAC } from '../helpers/mantun.js';
import { startTestSandbox, testFixture, type TestSandbox } from '../helpers/sandbox.js';
import { HEX32, getCode as sopCode, PLATFORM_PUBLIC_KEY as SOP_PLATFORM_KEY } from '../helpers/sop.js';
import { UUID } from '../helpers/usercenter.js';
import { authorize as zjrcCode, verified as zjrcVerified } from '../helpers/zjrc.js';
import { inProcess, spawned, withoutSandboxVariables, type Ran } from './support/command-line.js';

/**
 * Most cases run `sandbox sign` in this process (support/command-line.ts). The spawned tests hold the real
 * process to it: its streams and exit codes (0, 1 and 2), the clock of a running sandbox read over HTTP from
 * another process, and a printed curl command pasted into bash.
 */

const exec = promisify(execFile);
const VECTOR_FIXTURE = fileURLToPath(new URL('./fixtures/mantun-vector.json', import.meta.url));

const sign = (args: string[]): Promise<Ran> => inProcess(['sign', ...args]);
const spawnedSign = (args: string[]): Promise<Ran> => spawned(['sign', ...args]);

beforeAll(withoutSandboxVariables);

interface Signed {
  platform: string;
  action: string;
  about: string;
  values: Record<string, string>;
  request?: { method: 'POST'; path: string; form?: Record<string, string>; json?: Record<string, unknown> };
  curl?: string;
}

async function signJson(args: string[]): Promise<Signed> {
  const r = await sign([...args, '--json']);
  if (r.code !== 0) throw new Error(`sandbox sign ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Signed;
}

/** Send what the command built, as the curl command it printed would. */
function send(t: TestSandbox, req: NonNullable<Signed['request']>) {
  const call = t.http.post(req.path);
  return req.json
    ? call.set('content-type', 'application/json').send(JSON.stringify(req.json))
    : call.type('form').send(new URLSearchParams(req.form).toString());
}

let t: TestSandbox;
beforeAll(async () => {
  // Mantun checks router.as timestamps only when a fixture turns the window on: the host-time call below needs it.
  t = await startTestSandbox({ fixtures: [testFixture('mantun-timestamp-window.json')] });
});
afterAll(() => t.close());

describe('sandbox sign: the documented vectors', () => {
  test('mantun token: client_secret of the worked example (docs/platforms/mantun.md), and the curl call that sends it', async () => {
    const r = await sign([
      'mantun',
      'token',
      '--code',
      '5198a7417068bd560d9ec86bdf4eb9e7',
      '--no-builtin-fixtures',
      '--fixtures',
      VECTOR_FIXTURE,
      '--url',
      'http://127.0.0.1:9999',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '# mantun app O000000049, redirect_uri http://you-domain/xxx.jsp',
        'client_secret  7bd429241a792733a8364ca788c0d119',
        '',
        "curl -sS -X POST 'http://127.0.0.1:9999/oauth/token.as' \\",
        "  --data-urlencode 'client_id=O000000049' \\",
        "  --data-urlencode 'client_secret=7bd429241a792733a8364ca788c0d119' \\",
        "  --data-urlencode 'grant_type=authorization_code' \\",
        "  --data-urlencode 'redirect_uri=http://you-domain/xxx.jsp' \\",
        "  --data-urlencode 'code=5198a7417068bd560d9ec86bdf4eb9e7'",
        '',
      ].join('\n'),
    );
  });

  test('mantun router: sign of the worked example (docs/platforms/mantun.md)', async () => {
    const s = await signJson([
      'mantun',
      'router',
      '--method',
      'GET_BOXES',
      '--access-token',
      '0d7cf29a1bf071e3e319cd75f484dbda',
      '--param',
      'projectCode=P00000000009',
      '--timestamp',
      '20170504160410',
      '--no-builtin-fixtures',
      '--fixtures',
      VECTOR_FIXTURE,
    ]);
    expect(s.values).toEqual({ timestamp: '20170504160410', sign: 'ff326166c2e0d9e72bb240931b3b087f' });
    expect(s.request).toEqual({
      method: 'POST',
      path: '/invoke/router.as',
      form: {
        client_id: 'O000000049',
        method: 'GET_BOXES',
        access_token: '0d7cf29a1bf071e3e319cd75f484dbda',
        timestamp: '20170504160410',
        projectCode: 'P00000000009',
        sign: 'ff326166c2e0d9e72bb240931b3b087f',
      },
    });
  });

  test('zjrc client-sign: the hex vector of docs/platforms/zjrc.md', async () => {
    const r = await sign(['zjrc', 'client-sign', '--data', '15dd66eefdb344ada77db82b12690d2f']);
    expect(r).toEqual({
      code: 0,
      stdout: '# zjrc app ZJRC0000000001 (client_secret from the fixtures, hex)\nclientSign  884e3e432d7965680c3ca588a784418ac0fa1d8f\n',
      stderr: '',
    });
  });

  test('usercenter password: md5 and sha1 hex of the clear password', async () => {
    const s = await signJson(['usercenter', 'password', '--password', 'Passw0rd!']);
    expect(s).toEqual({
      platform: 'usercenter',
      action: 'password',
      about: 'usercenter password hashes',
      values: { md5password: createHash('md5').update('Passw0rd!').digest('hex'), shapassword: createHash('sha1').update('Passw0rd!').digest('hex') },
    });
  });
});

describe('sandbox sign: what it prints is accepted by the sandbox', () => {
  test('mantun: token.as with the printed client_secret, then a router.as call signed at the sandbox clock', async () => {
    const code = await mantunCode(t.http);
    const token = await signJson(['mantun', 'token', '--code', code]);
    const tok = await send(t, token.request!);
    expect(tok.body).toEqual({
      data: { tokenType: 'Bearer', accessToken: expect.stringMatching(HEX32), expiresIn: 3600, refreshToken: expect.stringMatching(HEX32) },
      success: true,
      code: '0',
    });

    const refresh = await signJson(['mantun', 'refresh', '--refresh-token', tok.body.data.refreshToken]);
    expect(refresh.request!.path).toBe('/oauth/refresh.as');

    // 30 minutes ahead of host time: outside the 10-minute timestamp window, inside the token's hour.
    t.sb.clock.advance('30m');
    const args = ['mantun', 'router', '--method', 'GET_BOXES', '--access-token', tok.body.data.accessToken, '--param', 'projectCode=P00000000009'];
    const hostTime = await signJson(args);
    expect((await send(t, hostTime.request!)).body).toEqual({
      success: false,
      code: '10041',
      message: 'timestamp is missing, malformed (yyyyMMddHHmmss) or too far from server time',
    });
    const sandboxTime = await signJson([...args, '--at', 'sandbox', '--url', t.sb.url]);
    const boxes = await send(t, sandboxTime.request!);
    expect(boxes.body).toEqual({
      success: true,
      code: '0',
      data: [
        { mac: MAC, name: 'Workshop distribution box', phone: '13800000000' },
        { mac: '187ED5310B3D', name: 'Office box', phone: '13800000001' },
      ],
    });

    expect((await send(t, refresh.request!)).body).toEqual({
      data: { tokenType: 'Bearer', accessToken: expect.stringMatching(HEX32), expiresIn: 3600, refreshToken: expect.stringMatching(HEX32) },
      success: true,
      code: '0',
    });
    t.sb.clock.set(Date.now());
  });

  test('usercenter: --user logs a fixture user in with the printed hashes', async () => {
    const s = await signJson(['usercenter', '--user', 'zhangsan', '--app', '37']);
    expect(s.about).toBe('usercenter user zhangsan, client 37 (sysid yht)');
    const res = await send(t, s.request!);
    expect(res.body).toEqual({ status: 1, result: expect.any(String) });
    expect(JSON.parse(res.body.result)).toEqual({ accessToken: expect.stringMatching(UUID), refreshToken: expect.stringMatching(UUID), expires_in: '60' });
  });

  test('sop: open.auth.token.app signed with the app key; the answer verifies with the platform key', async () => {
    const code = await sopCode(t.http);
    const s = await signJson([
      'sop',
      '--method',
      'open.auth.token.app',
      '--biz-content',
      JSON.stringify({ grant_type: 'authorization_code', code }),
      '--at',
      'sandbox',
      '--url',
      t.sb.url,
    ]);
    expect(Object.keys(s.request!.form!)).toEqual(['app_id', 'method', 'format', 'charset', 'sign_type', 'timestamp', 'version', 'biz_content', 'sign']);
    const res = await send(t, s.request!);
    const check = verifySopResponse(res.text, SOP_PLATFORM_KEY);
    expect(check.valid).toBe(true);
    expect(check.node).toEqual({
      code: '10000',
      msg: 'Success',
      app_auth_token: expect.stringMatching(HEX32),
      app_refresh_token: expect.stringMatching(HEX32),
      user_id: '2088000000000001',
      expires_in: expect.any(Number),
      re_expires_in: expect.any(Number),
      request_id: expect.stringMatching(HEX32),
    });
  });

  test('zjrc: the openId service with clientSign filled in from the code', async () => {
    const code = await zjrcCode(t.http, { scope: 'get_nor_user_info' });
    const s = await signJson([
      'zjrc',
      '--method',
      'zjrcuoip.oauth.get.openId.new',
      '--biz-content',
      JSON.stringify({ code, scopeList: [{ scopeName: 'get_nor_user_info' }] }),
      '--at',
      'sandbox',
      '--url',
      t.sb.url,
    ]);
    expect(s.values.clientSign).toMatch(/^[0-9a-f]{40}$/);
    expect(JSON.parse(s.request!.json!.bizContent as string)).toEqual({
      code,
      scopeList: [{ scopeName: 'get_nor_user_info' }],
      clientSign: s.values.clientSign,
    });
    const res = await send(t, s.request!);
    expect(res.body).toEqual({ code: '000000', msg: '成功', bizCode: '0', bizMsg: '成功', bizContent: expect.any(String), sign: expect.any(String) });
    expect(zjrcVerified(res)).toBe(true);
    expect(JSON.parse(res.body.bizContent)).toEqual({
      openId: expect.any(String),
      accessToken: expect.stringMatching(HEX32),
      expiresIn: '7200',
      refreshToken: expect.stringMatching(HEX32),
    });
  });

  test('spawned: the real process prints the same and exits 0, and the curl command it printed works (bash + curl, as a person would paste it)', async () => {
    const code = await mantunCode(t.http);
    const args = ['mantun', 'token', '--code', code, '--url', t.sb.url];
    const r = await spawnedSign(args);
    expect(r).toEqual(await sign(args));
    expect([r.code, r.stderr]).toEqual([0, '']);
    const curl = r.stdout.slice(r.stdout.indexOf('curl '));
    const out = await exec('bash', ['-c', curl], { encoding: 'utf8', timeout: 10000 });
    expect(JSON.parse(out.stdout)).toEqual({
      data: { tokenType: 'Bearer', accessToken: expect.stringMatching(HEX32), expiresIn: 3600, refreshToken: expect.stringMatching(HEX32) },
      success: true,
      code: '0',
    });
  });
});

describe('sandbox sign --at sandbox against a sandbox that requires the admin token', () => {
  test('asks for --admin-token (spawned: on stderr, exit 1), then signs at that sandbox clock', async () => {
    const secured = await startTestSandbox({ adminToken: 'ci-only-token' });
    try {
      secured.sb.clock.setRate(0);
      secured.sb.clock.set(Date.UTC(2030, 0, 1, 0, 0, 0));
      const args = ['mantun', 'router', '--method', 'GET_BOXES', '--access-token', 'x', '--at', 'sandbox', '--url', secured.sb.url];
      const refused = {
        code: 1,
        stdout: '',
        stderr: `sandbox: --at sandbox: ${secured.sb.url}/__sandbox/clock wants the admin token; pass it with --admin-token\n`,
      };
      expect(await spawnedSign(args)).toEqual(refused);
      expect(await sign(args)).toEqual(refused);
      expect((await signJson([...args, '--admin-token', 'ci-only-token'])).values.timestamp).toBe('20300101080000');
    } finally {
      await secured.close();
    }
  });
});

describe('sandbox sign: mistakes get a clear message and exit 1 (usage errors 2)', () => {
  test.each([
    [['mantun'], 'sandbox: name what to sign: sandbox sign mantun token|refresh|router (see sandbox sign --help)\n'],
    [['mantun', 'token'], 'sandbox: --code is required: the code authverify2.as answered\n'],
    [
      ['mantun', 'login'],
      'sandbox: mantun signs: token (client_secret for token.as), refresh (client_secret for refresh.as) or router (sign for router.as); got "login"\n',
    ],
    [['mantun', 'token', '--code', 'c', '--app', 'O1'], 'sandbox: no mantun app "O1" in the fixtures; there are: O000000049\n'],
    [['usercenter'], 'sandbox: --password (the clear password) or --user (a fixture user, whose password is used) is required\n'],
    [['usercenter', '--user', 'nobody'], 'sandbox: no usercenter user "nobody" in the fixtures; there are: test, zhangsan (or give --password)\n'],
    [['sop', '--method', 'alipay.story.get', '--biz-content', '[1]'], `sandbox: --biz-content must be a JSON object such as '{"code":"..."}', got [1]\n`],
    [['zjrc', '--biz-content', '{}'], 'sandbox: --method is required: the gateway service, e.g. zjrcuoip.oauth.get.openId.new\n'],
    [
      ['mantun', 'router', '--method', 'GET_BOXES', '--access-token', 'x', '--at', 'yesterday'],
      'sandbox: --at must be an ISO-8601 time, epoch milliseconds or "sandbox", got yesterday\n',
    ],
    [['mantun', 'router', '--method', 'GET_BOXES', '--access-token', 'x', '--param', 'projectCode'], 'sandbox: --param takes key=value, got projectCode\n'],
  ])('sign %j', async (args, message) => {
    expect(await sign(args)).toEqual({ code: 1, stdout: '', stderr: message });
  });

  test('an unknown platform is a usage error (spawned too: the real process exits 2 with the same message)', async () => {
    const r = await sign(['github']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid values:');
    expect(r.stderr).toContain('Argument: platform, Given: "github", Choices: "mantun", "usercenter", "sop", "zjrc"');
    expect(await spawnedSign(['github'])).toEqual(r);
  });

  test('--at sandbox with no sandbox listening says where it looked', async () => {
    const r = await sign(['mantun', 'router', '--method', 'GET_BOXES', '--access-token', 'x', '--at', 'sandbox', '--url', 'http://127.0.0.1:9']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sandbox: --at sandbox: cannot read the clock at http:\/\/127\.0\.0\.1:9\/__sandbox\/clock \(.+\)\n$/);
  });
});
