import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { Sandbox, type SandboxOptions } from '../../src/sandbox.js';
import { keptCertificate } from '../../src/server/tls/kept-certificate.js';
import { MantunClient, APP as MANTUN_APP, USER as MANTUN_USER, form, routerParams } from '../helpers/mantun.js';
import { freePort } from '../helpers/ports.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { gatewayParams, getTokens as sopTokens, postGateway, signedNode, tokenBiz } from '../helpers/sop.js';
import { login as usercenterLogin } from '../helpers/usercenter.js';
import { body as zjrcBody, call as zjrcCall, bizOf, getTokens as zjrcTokens, M, verified as zjrcVerified } from '../helpers/zjrc.js';

/**
 * Pass-through (docs/parity.md): a second sandbox plays the real platform, the sandbox under test forwards
 * to it. Clients are the suite's public-client-shaped calls; what they get must be the upstream's answer.
 */

const PLATFORM_IDS = ['mantun', 'usercenter', 'sop', 'zjrc'] as const;
const forwardAll = (base: string) => PLATFORM_IDS.map((id) => `${id}=${base}`);

interface Entry {
  platform: string;
  endpoint: string;
  status: number;
  note?: string;
  upstream?: { url: string; durationMs: number; error?: string };
}
const journal = async (t: TestSandbox, platform: string): Promise<Entry[]> =>
  ((await t.http.get(`/__sandbox/requests?platform=${platform}`)).body as { requests: Entry[] }).requests;
const tokenValues = async (t: TestSandbox): Promise<string[]> =>
  ((await t.http.get('/__sandbox/tokens')).body as { tokens: { value: string }[] }).tokens.map((x) => x.value);

/** An answer as the bytes a client reads: status, headers (less those that belong to one connection or moment), body. */
async function raw(url: string, init: RequestInit): Promise<{ status: number; headers: [string, string][]; body: Buffer }> {
  const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  const headers = [...res.headers].filter(([n]) => !['date', 'connection', 'keep-alive'].includes(n));
  return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) };
}

describe('each platform through a forwarding sandbox, against a second sandbox as the real platform', () => {
  let real: TestSandbox;
  let front: TestSandbox;
  beforeAll(async () => {
    real = await startTestSandbox({ seed: 'the-real-platform' });
    front = await startTestSandbox({ upstream: forwardAll(real.sb.url) });
  });
  afterAll(async () => {
    await front?.close();
    await real?.close();
  });
  const now = () => real.sb.clock.now();

  test('Mantun: code, token, router.as and refresh are the real platform’s; the forwarding sandbox issued nothing', async () => {
    const client = new MantunClient(request(front.sb.url));
    const tokens = await client.tokens();
    const projects = await client.call(tokens.accessToken, 'GET_PROJECTS', now());
    expect(projects.status).toBe(200);
    expect(projects.body).toEqual({ success: true, code: '0', data: [{ projectCode: 'P00000000009', projectName: 'Sandbox demo project' }] });
    const refreshed = await client.refresh(tokens.refreshToken);
    expect(refreshed.body.success).toBe(true);
    expect(await tokenValues(real)).toEqual(expect.arrayContaining([tokens.accessToken, tokens.refreshToken, refreshed.body.data.accessToken]));
    expect(await tokenValues(front)).toEqual([]);
    // The journal shows them as upstream exchanges, with the time taken.
    const entries = await journal(front, 'mantun');
    expect(entries.map((e) => `${e.endpoint} ${e.status}`)).toEqual(['refresh.as 200', 'router.as 200', 'token.as 200', 'authverify2.as 200']);
    const base = real.sb.url.replace(/\/$/, '');
    expect(entries.map((e) => e.upstream?.url)).toEqual([
      `${base}/oauth/refresh.as`,
      `${base}/invoke/router.as`,
      `${base}/oauth/token.as`,
      `${base}/oauth/authverify2.as`,
    ]);
    for (const e of entries) {
      expect(typeof e.upstream!.durationMs).toBe('number');
      expect(e.upstream!.error).toBeUndefined();
      expect(e.note).toMatch(/^upstream http:\/\/127\.0\.0\.1:\d+\/\S+ answered in [\d.]+ ms$/);
    }
  });

  test('UserCenter: token, user, refresh after expiry (the real platform’s clock decides)', async () => {
    const http = request(front.sb.url);
    const tokens = await usercenterLogin(http);
    const user = await http.post('/user/getUserByToken').send({ accessToken: tokens.accessToken });
    expect(user.body).toMatchObject({ status: 1, user: { userName: expect.any(String) } });
    real.sb.clock.advance(`${tokens.expires_in}s`);
    const refreshed = await http.post('/oauth/refreshAccessToken').send({ refresh_token: tokens.refreshToken });
    expect(refreshed.body.status).toBe(1);
    expect(JSON.parse(refreshed.body.result as string).accessToken).not.toBe(tokens.accessToken);
    expect(await tokenValues(front)).toEqual([]);
  });

  test('SOP: the login form’s 302, the token call and its signature verify as the SDK checks them', async () => {
    const http = request(front.sb.url);
    const tokens = await sopTokens(http, now());
    expect(await tokenValues(real)).toEqual(expect.arrayContaining([tokens.app_auth_token, tokens.app_refresh_token]));
    const res = await postGateway(
      http,
      gatewayParams('open.auth.token.app', now(), tokenBiz({ grant_type: 'refresh_token', refresh_token: tokens.app_refresh_token })),
    );
    expect(signedNode(res, 'open_auth_token_app_response')).toMatchObject({ code: '10000', msg: 'Success' });
  });

  test('ZJRC: authorize, openId and userinfo, signed by the real platform', async () => {
    const http = request(front.sb.url);
    const tokens = await zjrcTokens(http, now);
    const res = await zjrcCall(
      http,
      zjrcBody(M.userinfo, { openId: tokens.openId, accessToken: tokens.accessToken, scopeList: [{ scopeName: 'get_core_user_info' }] }, now()),
    );
    expect(zjrcVerified(res)).toBe(true);
    expect(bizOf(res)).toMatchObject({ openId: tokens.openId });
  });

  test.each([
    [
      'mantun',
      '/oauth/authverify2.as',
      'application/x-www-form-urlencoded',
      form({ response_type: 'code', client_id: MANTUN_APP.appKey, redirect_uri: MANTUN_APP.redirectUri, uname: MANTUN_USER.uname, passwd: 'wrong' }),
    ],
    ['usercenter', '/user/checkOauthToken', 'application/json', JSON.stringify({ accessToken: 'garbage' })],
    ['sop', '/', 'application/x-www-form-urlencoded', form({ app_id: '2019032617262200001', version: '1.0', charset: 'utf-8' })],
    ['zjrc', '/oip-gateway-server/zjrcuoip/gateway.do', 'application/json', JSON.stringify({ appId: 'nobody', method: M.openId, sign: 'x' })],
  ])('%s: a refusal reaches the client byte for byte as the real platform wrote it', async (_platform, path, type, body) => {
    const init = { method: 'POST', headers: { 'content-type': type }, body };
    const direct = await raw(new URL(path, real.sb.url).href, init);
    const forwarded = await raw(new URL(path, front.sb.url).href, init);
    expect(forwarded.status).toBe(direct.status);
    expect(forwarded.headers).toEqual(direct.headers);
    expect(forwarded.body.equals(direct.body)).toBe(true);
  });

  test('a success too: the same router.as call answered directly and through the forwarding sandbox, byte for byte', async () => {
    const { accessToken } = await new MantunClient(request(real.sb.url)).tokens();
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(routerParams(accessToken, 'GET_BOXES', now(), { projectCode: 'P00000000009' })),
    };
    const direct = await raw(new URL('/mantun/invoke/router.as', real.sb.url).href, init);
    const forwarded = await raw(new URL('/mantun/invoke/router.as', front.sb.url).href, init);
    expect(direct.status).toBe(200);
    expect(JSON.parse(direct.body.toString()).success).toBe(true);
    expect(forwarded).toEqual(direct);
  });
});

/** A plain HTTP server standing for the platform's front: it keeps what it was sent and answers with odd, exact bytes. */
function byteServer(answer: (req: IncomingMessage, body: Buffer, res: import('node:http').ServerResponse) => void) {
  const seen: { method: string; url: string; rawHeaders: string[]; body: Buffer }[] = [];
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, body });
      answer(req, body, res);
    });
  });
  return { server, seen, listen: () => new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port))) };
}

/** One raw HTTP/1.1 exchange with exactly these headers, as a client library would write them. */
function send(port: number, method: string, path: string, headers: [string, string][], body: Buffer) {
  return new Promise<{ status: number; statusMessage: string; rawHeaders: string[]; body: Buffer }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: headers.flat() as unknown as Record<string, string>, setHost: false, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, statusMessage: res.statusMessage!, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the bytes both ways', () => {
  const gz = gzipSync(Buffer.from('{"success":true,"code":"0","data":"héllo"}'));
  const upstream = byteServer((_req, _body, res) => {
    res.writeHead(299, 'Odd But Fine', [
      'Content-Type',
      'application/json;charset=UTF-8',
      'Content-Encoding',
      'gzip',
      'Set-Cookie',
      'a=1; Path=/',
      'Set-Cookie',
      'b=2; Path=/',
      'X-Platform-Trace',
      'abc',
      'Connection',
      'keep-alive, X-Platform-Hop',
      'X-Platform-Hop',
      'per-connection',
    ]);
    res.end(gz);
  });
  let sb: Sandbox;
  let port: number;
  beforeAll(async () => {
    const upPort = await upstream.listen();
    sb = await Sandbox.create({ port: 0, logLevel: 'silent', upstream: [`mantun=http://127.0.0.1:${upPort}/ebx-rook/`] });
    port = (await sb.listen()).port;
  });
  afterAll(async () => {
    await sb?.close();
    await new Promise((r) => upstream.server.close(r));
  });

  test('the request: method, the path below the platform’s base, query and body bytes, headers less hop-by-hop and Host', async () => {
    const body = Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x0d, 0x0a, 0x42, 0x80]);
    const headers: [string, string][] = [
      ['Host', `127.0.0.1:${port}`],
      ['Content-Type', 'application/x-www-form-urlencoded; charset=GBK'],
      ['X-Client-Thing', 'one'],
      ['x-client-thing', 'two'],
      ['Connection', 'keep-alive, X-Per-Hop'],
      ['X-Per-Hop', 'dropped'],
      ['Keep-Alive', 'timeout=5'],
      ['Proxy-Authorization', 'Basic Zm9vOmJhcg=='],
      ['Accept-Language', 'en'],
      ['Content-Length', String(body.length)],
    ];
    const res = await send(port, 'POST', '/mantun/oauth/token.as?b=2&a=%20x&a=3', headers, body);
    expect(res.status).toBe(299);
    const got = upstream.seen.at(-1)!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/ebx-rook/oauth/token.as?b=2&a=%20x&a=3');
    expect(got.body.equals(body)).toBe(true);
    const pairs: [string, string][] = [];
    for (let i = 0; i < got.rawHeaders.length; i += 2) pairs.push([got.rawHeaders[i]!, got.rawHeaders[i + 1]!]);
    // Node's client adds its own Host, Connection and Content-Length (the same length: the same bytes).
    expect(pairs.filter(([n]) => !['host', 'connection', 'content-length'].includes(n.toLowerCase()))).toEqual([
      ['Content-Type', 'application/x-www-form-urlencoded; charset=GBK'],
      ['X-Client-Thing', 'one'],
      ['X-Client-Thing', 'two'],
      ['Accept-Language', 'en'],
    ]);
    expect(pairs.find(([n]) => n.toLowerCase() === 'host')![1]).toBe(`127.0.0.1:${(upstream.server.address() as { port: number }).port}`);
    expect(pairs.find(([n]) => n.toLowerCase() === 'content-length')![1]).toBe(String(body.length));
  });

  test('the answer: status line, headers in order with repeats, body bytes as sent (still gzip), less hop-by-hop ones', async () => {
    const res = await send(
      port,
      'POST',
      '/oauth/authverify2.as',
      [
        ['Host', 'x'],
        ['Accept-Encoding', 'gzip'],
        ['Content-Length', '0'],
      ],
      Buffer.alloc(0),
    );
    expect([res.status, res.statusMessage]).toEqual([299, 'Odd But Fine']);
    expect(res.body.equals(gz)).toBe(true);
    const pairs: [string, string][] = [];
    for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
    expect(pairs.filter(([n]) => !['date', 'connection', 'keep-alive'].includes(n.toLowerCase()))).toEqual([
      ['Content-Type', 'application/json;charset=UTF-8'],
      ['Content-Encoding', 'gzip'],
      ['Set-Cookie', 'a=1; Path=/'],
      ['Set-Cookie', 'b=2; Path=/'],
      ['X-Platform-Trace', 'abc'],
      ['Content-Length', String(gz.length)],
    ]);
  });

  test('a client that goes away mid-body: nothing reaches the platform', async () => {
    const before = upstream.seen.length;
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST /oauth/token.as HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nclient_id=O0`);
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
    });
    // A request the sandbox would forward reaches the platform within this time (the others here take a few ms).
    await new Promise((r) => setTimeout(r, 500));
    expect(upstream.seen.length).toBe(before);
    const after = await send(
      port,
      'POST',
      '/oauth/token.as',
      [
        ['Host', 'x'],
        ['Content-Length', '0'],
      ],
      Buffer.alloc(0),
    );
    expect(after.status).toBe(299);
    expect(upstream.seen.length).toBe(before + 1);
  });

  test('the control plane stays the sandbox’s own', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/__sandbox/health`);
    expect((await res.json()).status).toBe('ok');
  });
});

/** A loopback port nothing listens on. */
const closedPort = () => freePort();

describe('an upstream that cannot be reached: the platform’s own "system busy", and the journal says why', () => {
  let front: TestSandbox;
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
    front = await startTestSandbox({ upstream: forwardAll(`http://127.0.0.1:${port}`) });
  });
  afterAll(() => front?.close());

  test('refused, for every platform, in each platform’s shape', async () => {
    const http = front.http;
    const mantun = await http
      .post('/oauth/authverify2.as')
      .type('form')
      .send(form({ uname: 'x' }));
    expect([mantun.status, mantun.body]).toEqual([200, { success: false, code: '10099', message: 'service is busy, try again later' }]);
    const uc = await http.post('/user/getUserByToken').send({ accessToken: 'x' });
    expect([uc.status, uc.body]).toEqual([200, { status: 0, msg: 'system error, please try again later' }]);
    const sop = await postGateway(http, gatewayParams('open.auth.token.app', Date.now()));
    expect(sop.status).toBe(200);
    expect(signedNode(sop, 'open_auth_token_app_response')).toEqual({
      code: '20000',
      msg: '服务不可用',
      sub_code: 'isp.unknown-error',
      sub_msg: '服务暂不可用',
    });
    const zjrc = await zjrcCall(http, zjrcBody(M.openId, { code: 'x' }, Date.now()));
    expect([zjrc.status, zjrc.body.code, zjrc.body.msg]).toEqual([200, '100099', '系统繁忙，请稍后再试']);
    for (const platform of PLATFORM_IDS) {
      const [entry] = await journal(front, platform);
      expect(entry!.upstream!.error).toMatch(new RegExp(`^refused: http://127\\.0\\.0\\.1:${port}/\\S*: the connection was refused: .*ECONNREFUSED`));
      expect(entry!.note).toMatch(/^upstream failed \(refused\): /);
    }
  });
});

describe('timeouts, DNS and TLS', () => {
  let silent: NetServer;
  const sockets = new Set<Socket>();
  const started: Sandbox[] = [];
  const start = async (opts: SandboxOptions) => {
    const sb = await Sandbox.create({ port: 0, logLevel: 'silent', ...opts });
    started.push(sb);
    await sb.listen();
    return sb;
  };
  beforeAll(async () => {
    silent = createNetServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    for (const sb of started) await sb.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  test('an upstream that never answers: "system busy" after --upstream-timeout, and the journal says timeout', async () => {
    const sb = await start({ upstream: [`mantun=http://127.0.0.1:${(silent.address() as { port: number }).port}`], upstreamTimeout: 300 });
    const res = await request(sb.url)
      .post('/oauth/authverify2.as')
      .type('form')
      .send(form({ uname: 'x' }))
      .timeout(10_000);
    expect(res.body).toEqual({ success: false, code: '10099', message: 'service is busy, try again later' });
    const [entry] = sb.journal.list({ platform: 'mantun' });
    expect(entry!.upstream!.error).toMatch(/^timeout: .* no complete answer within 300 ms \(--upstream-timeout\)$/);
  });

  test('a host name that does not resolve: "system busy", and the journal says dns', async () => {
    // A 64-letter label is longer than DNS allows (63), so the system's resolver refuses the name itself and no
    // query leaves the machine; `.invalid` never resolves anywhere (RFC 2606).
    const host = `${'a'.repeat(64)}.invalid`;
    const sb = await start({ upstream: [`mantun=http://${host}:8080`] });
    const res = await request(sb.url)
      .post('/oauth/authverify2.as')
      .type('form')
      .send(form({ uname: 'x' }))
      .timeout(10_000);
    expect([res.status, res.body]).toEqual([200, { success: false, code: '10099', message: 'service is busy, try again later' }]);
    const [entry] = sb.journal.list({ platform: 'mantun' });
    expect(entry!.upstream!.error).toMatch(new RegExp(`^dns: http://${host}:8080/oauth/authverify2\\.as: the host name did not resolve: `));
    expect(entry!.note).toMatch(/^upstream failed \(dns\): /);
  });

  test('TLS: a certificate nobody vouches for is refused; --upstream-ca trusts it', async () => {
    const cert = await keptCertificate(['127.0.0.1'], mkdtempSync(join(tmpdir(), 'upstream-ca-')));
    const real = await start({ tls: { cert: cert.cert, key: cert.key } });
    const base = real.url.replace(/\/$/, '');
    expect(base).toMatch(/^https:/);
    const untrusting = await start({ upstream: [`mantun=${base}`] });
    const refused = await request(untrusting.url)
      .post('/oauth/authverify2.as')
      .type('form')
      .send(form({ uname: 'x' }));
    expect(refused.body).toEqual({ success: false, code: '10099', message: 'service is busy, try again later' });
    expect(untrusting.journal.list({ platform: 'mantun' })[0]!.upstream!.error).toMatch(/^tls: .*--upstream-ca FILE/);
    const trusting = await start({ upstream: [`mantun=${base}`], upstreamCa: cert.ca.certPath });
    const code = await new MantunClient(request(trusting.url)).code();
    expect(code).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('options', () => {
  test.each([
    [['mantun'], '--upstream "mantun": expected <platform>=<base URL>, e.g. mantun=https://open.snd02.com (platforms: mantun, usercenter, sop, zjrc).'],
    [['acme=http://x'], '--upstream "acme=http://x": no platform "acme" here; use one of mantun, usercenter, sop, zjrc.'],
    [['sop=ftp://x'], '--upstream "sop=ftp://x": the base URL must start with http:// or https://, got ftp://.'],
    [
      ['sop=not a url'],
      '--upstream "sop=not a url": "not a url" is not a URL; give the platform\'s base URL with its scheme, e.g. mantun=https://open.snd02.com.',
    ],
    [['sop=http://x/?a=1'], '--upstream "sop=http://x/?a=1": the base URL must hold no query, fragment or credentials; the client\'s own are forwarded.'],
    [['sop=http://x', 'sop=http://y'], '--upstream names sop twice; give each platform one base URL.'],
  ])('--upstream %j is refused with what would work', async (upstream, message) => {
    await expect(Sandbox.create({ upstream })).rejects.toThrow(message);
  });

  test('--record without --upstream says what it needs', async () => {
    await expect(Sandbox.create({ record: join(tmpdir(), 'never.jsonl') })).rejects.toThrow(
      '--record works with --upstream <platform>=<base URL> only: it concerns the exchanges forwarded to a real platform.',
    );
  });
});
