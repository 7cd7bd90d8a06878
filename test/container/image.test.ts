import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, createSign, createVerify } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlipaySdk } from 'alipay-sdk';
import { freePort } from '../helpers/ports.js';
import {
  buildFlags,
  buildMounts,
  checkRuntime,
  ensureBaseImage,
  podman,
  podmanEnv,
  ROOT,
  run,
  TEST_LABEL,
  writeDockerShim,
  type Result,
} from './podman-host.js';

/**
 * The image, built from the Dockerfile and run as docs/ci-recipes.md says ("docker run"), with Debian's rootful
 * podman and runc standing in for Docker. The blocks are run as written, with three substitutions: the
 * published port is a free one, the container and image names are this test's own, and `docker` is podman
 * with what this host needs for `build` (podman-host.ts). Clients then reach the container through the
 * published port only, and parse its answers themselves.
 *
 * What it leaves: the base image, the image it built and its build stage, the layer cache of the next run (a
 * warm run rebuilds nothing); images it built earlier and that are superseded are removed, and so is every
 * container it ran.
 */

const DOC = readFileSync(join(ROOT, 'docs', 'ci-recipes.md'), 'utf8');
const ADMIN = 'local-only-token';
const NAME = `oauth-sandbox-test-${process.pid}`;
const IMAGE = 'localhost/oauth-sandbox-test:latest';
const BUILD_STAGE = 'localhost/oauth-sandbox-test:build-stage';

/** The `sh` blocks of the "docker run" section, in order. */
function dockerRunBlocks(): string[] {
  const section = DOC.slice(DOC.indexOf('## docker run\n'), DOC.indexOf('\n## ', DOC.indexOf('## docker run\n') + 1));
  return [...section.matchAll(/```sh\n([^]*?)```/g)].map((m) => m[1]);
}

function adapt(block: string, port: number): string {
  return block
    .replaceAll('oauth-sandbox:0.1.0', IMAGE)
    .replace(/\boauth-sandbox\b(?![:/-])/g, NAME)
    .replaceAll('127.0.0.1:8848', `127.0.0.1:${port}`);
}

let dir: string;
let env: NodeJS.ProcessEnv;
let port: number;
let base: string;
let logs: ChildProcess | undefined;
let log = '';
let stopLine: string;
const timings: Record<string, number> = {};

async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await step();
  } finally {
    timings[what] = Math.round(performance.now() - start);
  }
}

const sh = (script: string, cwd: string, timeoutMs = 60_000): Promise<Result> => run('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env, timeoutMs });

function expectOk(r: Result, what: string): void {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
}

beforeAll(async () => {
  await checkRuntime();
  await timed('base image', ensureBaseImage);
  dir = mkdtempSync(join(tmpdir(), 'sandbox-container-test-'));
  mkdirSync(join(dir, 'bin'));
  const flags = buildFlags(await buildMounts());
  writeDockerShim(join(dir, 'bin'), flags);
  env = { ...podmanEnv(), PATH: `${join(dir, 'bin')}:${process.env.PATH}` };
  port = await freePort();

  // The build stage gets a name of its own, so that its layers (npm ci's above all) are the next run's cache:
  // the docs' build below reuses them, and pruning removes only what no named image stands on.
  const stage = await timed('build stage', () => run('podman', ['build', ...flags, '--target', 'build', '-t', BUILD_STAGE, '.'], { timeoutMs: 20 * 60_000 }));
  expectOk(stage, 'the build stage');
  const [build, runBlock] = dockerRunBlocks();
  expectOk(await timed('build', () => sh(adapt(build, port), ROOT, 20 * 60_000)), "the docs' build block");
  await podman(['image', 'prune', '--force', '--filter', `label=${TEST_LABEL}`]);

  // The project folder the docs' run block is written for: its fixtures, readable by the container's user.
  // alipay-sdk stamps requests with this host's local time: the platform is told this host's zone (docs/platforms/sop.md).
  const project = join(dir, 'project');
  mkdirSync(join(project, 'sandbox-fixtures'), { recursive: true });
  writeFileSync(join(project, 'sandbox-fixtures', 'sop.json'), JSON.stringify({ sop: { utcOffsetMinutes: -new Date().getTimezoneOffset() } }));
  for (const d of [dir, project, join(project, 'sandbox-fixtures')]) chmodSync(d, 0o755);
  chmodSync(join(project, 'sandbox-fixtures', 'sop.json'), 0o644);

  const lines = adapt(runBlock, port).split('\n');
  stopLine = lines.find((l) => l.startsWith('docker stop '))!;
  const upToStop = lines.slice(0, lines.indexOf(stopLine)).join('\n');
  const started = await timed('run to healthy', () => sh(upToStop, project));
  expectOk(started, "the docs' run block");
  base = `http://127.0.0.1:${port}`;
  expect(JSON.parse(started.stdout.trim().split('\n').pop()!)).toMatchObject({ status: 'ok', pid: 1 });
  logs = spawn('podman', ['logs', '--follow', NAME], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  logs.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  logs.stderr!.on('data', (c: Buffer) => (log += c.toString()));
}, 40 * 60_000);

afterAll(async () => {
  if (env) await podman(['rm', '--force', '--ignore', NAME]);
  logs?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
  // The figures docs/ci-recipes.md reports (cold and warm); on stderr, so a run shows them.
  process.stderr.write(`container test timings (ms): ${JSON.stringify(timings)}\n`);
}, 60_000);

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');
const post = async (path: string, params: Record<string, string>): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${base}${path}`, { method: 'POST', body: new URLSearchParams(params), signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: JSON.parse(await res.text()) };
};

const MANTUN = { appKey: 'O000000049', appSecret: '3F2A9C4E8B1D7F6A0C5E9B2D4F8A1C3E', redirectUri: 'http://you-domain/xxx.jsp' };

/** yyyyMMddHHmmss in Beijing time, as Mantun's clients stamp router.as calls. */
const beijing = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);

test("the image runs as the unprivileged node user, with node as PID 1 (it gets docker stop's SIGTERM)", async () => {
  const status = await podman(['exec', NAME, 'cat', '/proc/1/status']);
  expect(status.stdout).toMatch(/^Uid:\t1000\t1000\t1000\t1000$/m);
  expect(status.stdout).toMatch(/^Name:\tnode$/m);
  expect((await podman(['exec', NAME, 'id', '-un'])).stdout).toBe('node\n');
  expect((await podman(['exec', NAME, 'cat', '/proc/1/cmdline'])).stdout.split('\0')).toEqual(['node', 'bin/sandbox.js', 'start', '']);
  // The host's CA bundle and npm settings were lent to the build, not copied into the image.
  for (const f of ['/usr/local/etc/npmrc', '/root/.npmrc', '/etc/ssl/certs/ca-certificates.crt'])
    expect({ f, code: (await podman(['exec', NAME, 'test', '-e', f])).code }).toEqual({ f, code: 1 });
  // The health check survived the build (Docker's format), and runs by hand where nothing schedules it.
  expect(JSON.parse((await podman(['image', 'inspect', '--format', '{{json .HealthCheck.Test}}', IMAGE])).stdout)).toEqual([
    'CMD',
    'node',
    'bin/sandbox.js',
    'health',
  ]);
  expect((await podman(['healthcheck', 'run', NAME])).code).toBe(0);
});

test('a Mantun client logs in, gets a token and calls router.as through the published port', async () => {
  const auth = await post('/oauth/authverify2.as', {
    response_type: 'code',
    client_id: MANTUN.appKey,
    redirect_uri: MANTUN.redirectUri,
    uname: '13800000000',
    passwd: 'sandbox123',
  });
  expect(auth).toEqual({ status: 200, body: { code: expect.stringMatching(/^[0-9a-f]{32}$/), success: 'true' } });
  const code = auth.body.code as string;
  const grant = 'authorization_code';
  const token = await post('/oauth/token.as', {
    client_id: MANTUN.appKey,
    client_secret: md5(MANTUN.appKey + grant + MANTUN.redirectUri + code + MANTUN.appSecret),
    grant_type: grant,
    redirect_uri: MANTUN.redirectUri,
    code,
  });
  expect(token.body).toEqual({
    data: { tokenType: 'Bearer', accessToken: expect.stringMatching(/^[0-9a-f]{32}$/), expiresIn: 3600, refreshToken: expect.stringMatching(/^[0-9a-f]{32}$/) },
    success: true,
    code: '0',
  });
  const params: Record<string, string> = {
    access_token: token.body.data.accessToken,
    client_id: MANTUN.appKey,
    method: 'GET_BOXES',
    projectCode: 'P00000000009',
    timestamp: beijing(Date.now()),
  };
  const sign = md5(
    Object.keys(params)
      .sort()
      .map((k) => params[k])
      .join('') + MANTUN.appSecret,
  );
  const boxes = await post('/invoke/router.as', { ...params, sign });
  expect(boxes).toEqual({
    status: 200,
    body: {
      success: true,
      code: '0',
      data: [
        { mac: '187ED5310A2C', name: 'Workshop distribution box', phone: '13800000000' },
        { mac: '187ED5310B3D', name: 'Office box', phone: '13800000001' },
      ],
    },
  });
});

test('a SOP app gets a code from the login form and exchanges it with the npm alipay-sdk, signatures checked', async () => {
  const sop = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'sop.json'), 'utf8')).sop;
  const app = sop.apps[0];
  const user = sop.users[0];
  const form = await fetch(`${base}/oauth2/authorize`, {
    method: 'POST',
    body: new URLSearchParams({
      response_type: 'code',
      client_id: app.appId,
      redirect_uri: 'http://localhost:3000/callback',
      username: user.username,
      password: user.password,
    }),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  expect(form.status).toBe(302);
  const location = new URL(form.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe('http://localhost:3000/callback');
  expect(location.searchParams.get('app_id')).toBe(app.appId);
  const code = location.searchParams.get('code')!;
  expect(code).toMatch(/^[0-9a-f]{32}$/);

  const sdk = new AlipaySdk({
    appId: app.appId,
    privateKey: app.privateKey,
    keyType: 'PKCS8',
    alipayPublicKey: sop.platformKeys.publicKey,
    gateway: `${base}/gateway.do`,
  });
  const token = await sdk.exec('open.auth.token.app', { bizContent: { grant_type: 'authorization_code', code } }, { validateSign: true });
  expect(token).toEqual({
    code: '10000',
    msg: 'Success',
    appAuthToken: expect.stringMatching(/^[0-9a-f]{32}$/),
    appRefreshToken: expect.stringMatching(/^[0-9a-f]{32}$/),
    userId: user.userId,
    expiresIn: -1,
    reExpiresIn: -3,
    requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
  });
  // A spent code, asked again by hand: the answer is signed with the platform key over the node's exact text.
  const params: Record<string, string> = {
    app_id: app.appId,
    biz_content: JSON.stringify({ grant_type: 'authorization_code', code }),
    charset: 'utf-8',
    format: 'json',
    method: 'open.auth.token.app',
    sign_type: 'RSA2',
    timestamp: new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 19).replace('T', ' '), // this host's zone, as told
    version: '1.0',
  };
  params.sign = createSign('RSA-SHA256')
    .update(
      Object.keys(params)
        .sort()
        .map((k) => `${k}=${params[k]}`)
        .join('&'),
    )
    .sign(createPrivateKey({ key: Buffer.from(app.privateKey, 'base64'), format: 'der', type: 'pkcs8' }), 'base64');
  const res = await fetch(`${base}/`, { method: 'POST', body: new URLSearchParams(params), signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  const node = /^\{"open_auth_token_app_response":(\{.*\}),"sign":"([^"]+)"\}$/.exec(text);
  expect(node).not.toBeNull();
  const platformKey = createPublicKey({ key: Buffer.from(sop.platformKeys.publicKey, 'base64'), format: 'der', type: 'spki' });
  expect(createVerify('RSA-SHA256').update(node![1]).verify(platformKey, node![2], 'base64')).toBe(true);
  expect(JSON.parse(node![1])).toEqual({
    code: '10000',
    msg: 'Success',
    error: 'invalid_request',
    error_description: 'invalid request',
    expires_in: -1,
    re_expires_in: -1,
    request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
  });
});

test('docker stop (SIGTERM to PID 1) ends it within seconds, after the request in flight got its answer', async () => {
  const auth = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const armed = await fetch(`${base}/__sandbox/faults`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ id: 'held', platform: 'mantun', endpoint: 'authverify2.as', first: 1, respond: { delay: '60s' } }),
  });
  expect(armed.status).toBe(201);
  const inFlight = post('/oauth/authverify2.as', {
    response_type: 'code',
    client_id: MANTUN.appKey,
    redirect_uri: MANTUN.redirectUri,
    uname: '13800000000',
    passwd: 'sandbox123',
  });
  // Held by the sandbox: the rule has fired, and the answer waits for its 60 s.
  for (let fired = 0; fired === 0;) {
    await new Promise((r) => setTimeout(r, 100));
    const faults = (await (await fetch(`${base}/__sandbox/faults`, { headers: auth })).json()) as { faults: { id: string; fired: number }[] };
    fired = faults.faults.find((f) => f.id === 'held')!.fired;
  }
  const stopped = await timed('stop', () => sh(stopLine, dir));
  expectOk(stopped, 'docker stop');
  // podman stop waits 10 s for SIGTERM to work before it kills: far less means the sandbox stopped by itself.
  expect(timings.stop).toBeLessThan(5_000);
  expect(await inFlight).toEqual({ status: 200, body: { code: expect.stringMatching(/^[0-9a-f]{32}$/), success: 'true' } });
  expect((await podman(['container', 'exists', NAME])).code).toBe(1); // --rm: gone
  await new Promise<void>((r) => (logs!.exitCode !== null ? r() : logs!.once('exit', () => r())));
  expect(log).toContain('SIGTERM: stopping (finishing in-flight requests)');
}, 30_000);
