import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { pageBlocks } from '../docs/markdown.js';
import { spawnSandbox, type Spawned } from '../helpers/cli.js';
import { APP, USER } from '../helpers/mantun.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { freePort } from '../helpers/ports.js';
import { SseClient } from '../ui/sse-client.js';

/**
 * The Compose recipe of docs/ci-recipes.md ("Redis and three replicas behind a load balancer"), run as
 * written with real components in place of the containers: Debian's redis-server with the recipe's
 * command, three `sandbox start` processes with the recipe's environment, and Debian's nginx with the
 * recipe's configuration. Compose's DNS answers "sandbox" with the three replicas; here the upstream
 * lists the three local ports, and "redis" is 127.0.0.1. Nothing else of the two files is changed.
 */

const PAGE = 'docs/ci-recipes.md';
const fileBlock = (path: string): string => {
  const block = pageBlocks(PAGE).find((b) => b.marker.kind === 'file' && b.marker.path === path);
  if (!block) throw new Error(`${PAGE} has no block saved as ${path}`);
  return block.code;
};

interface Compose {
  services: {
    redis: { command: string[] };
    sandbox: { deploy: { replicas: number }; environment: Record<string, string> };
    lb: { ports: string[] };
  };
}

const compose = parse(fileBlock('scale/docker-compose.yml')) as Compose;
const nginxConf = fileBlock('scale/nginx.conf');

/** Compose's own interpolation of `${VAR:-default}`, with nothing set: the defaults. */
const interpolate = (value: string): string => value.replace(/\$\{(\w+):-([^}]*)\}/g, (_m, name: string, fallback: string) => process.env[name] || fallback);

let dir: string;
let redis: RedisServer;
const replicas: Spawned[] = [];
let nginx: ChildProcess;
let lbPort: number;
let token: string;
let nginxLog = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-compose-'));
  const [program, ...redisArgs] = compose.services.redis.command;
  expect(program).toBe('redis-server');
  redis = await startRedis({ args: redisArgs });

  const env = Object.fromEntries(Object.entries(compose.services.sandbox.environment).map(([k, v]) => [k, interpolate(String(v))]));
  token = env.SANDBOX_ADMIN_TOKEN as string;
  env.SANDBOX_STORE = (env.SANDBOX_STORE as string).replace('redis://redis:6379', `redis://127.0.0.1:${redis.port}`);
  for (let i = 0; i < compose.services.sandbox.deploy.replicas; i++) {
    // What the image sets (SANDBOX_HOST=0.0.0.0, SANDBOX_PORT=8848) is this machine's loopback and a free port here.
    replicas.push(await spawnSandbox(['start', '--port', '0'], 15_000, { ...env, SANDBOX_HOST: '127.0.0.1' }));
  }

  lbPort = await freePort();
  const upstream = replicas.map((r) => `server 127.0.0.1:${new URL(r.url).port};`).join(' ');
  expect(nginxConf).toContain('server sandbox:8848;');
  expect(nginxConf).toContain('listen 8848;');
  const site = nginxConf.replace('server sandbox:8848;', upstream).replace('listen 8848;', `listen 127.0.0.1:${lbPort};`);
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
  // The rest of a minimal nginx.conf, which the image provides around conf.d/default.conf.
  const main = [
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    'daemon off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    'error_log stderr warn;',
    'events { worker_connections 256; }',
    'http {',
    '  access_log off;',
    ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((d) => `  ${d === 'body' ? 'client_body' : d}_temp_path ${join(dir, d)};`),
    site,
    '}',
  ].join('\n');
  writeFileSync(join(dir, 'nginx.conf'), main);
  // Debian installs it in /usr/sbin, which is not on every user's PATH.
  nginx = spawn(existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  nginx.stderr?.on('data', (d) => (nginxLog += d));
  nginx.once('error', (e) => (nginxLog += `${e.message} (install it: apt-get install -y nginx-light)`));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await request(`http://127.0.0.1:${lbPort}`)
      .get('/__sandbox/health')
      .then((r) => r.status === 200)
      .catch(() => false);
    if (up) break;
    if (nginx.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not serve the recipe's configuration: ${nginxLog}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}, 60_000);

afterAll(async () => {
  nginx?.kill('SIGTERM');
  await Promise.all(replicas.map((r) => r.stop()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const lb = () => request(`http://127.0.0.1:${lbPort}`);
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const md5 = async (text: string) => (await import('node:crypto')).createHash('md5').update(text).digest('hex');

test('nginx spreads the requests over the three replicas', async () => {
  const pids = new Set<number>();
  for (let i = 0; i < 6; i++) pids.add((await lb().get('/__sandbox/health')).body.pid as number);
  expect(pids.size).toBe(3);
});

test('a Mantun login through the load balancer: the code and the tokens cross replicas, and a code is spent once', async () => {
  for (let round = 0; round < 3; round++) {
    const login = await lb()
      .post('/oauth/authverify2.as')
      .type('form')
      .send(form({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: USER.passwd }));
    expect(login.body.success).toBe('true');
    const code = login.body.code as string;
    const secret = await md5(APP.appKey + 'authorization_code' + APP.redirectUri + code + APP.appSecret);
    const exchange = () =>
      lb()
        .post('/oauth/token.as')
        .type('form')
        .send(form({ client_id: APP.appKey, client_secret: secret, grant_type: 'authorization_code', redirect_uri: APP.redirectUri, code }));
    const answers = await Promise.all([exchange(), exchange(), exchange()]);
    expect(answers.map((a) => a.body.success).sort()).toEqual([false, false, true]);
  }
  // Every replica's journal lists every request, whichever replica served it.
  for (const r of replicas) {
    const journal = await request(r.url).get('/__sandbox/requests').set('authorization', `Bearer ${token}`);
    expect(journal.status).toBe(200);
    expect((journal.body.requests as { endpoint: string }[]).map((e) => e.endpoint).filter((e) => e === 'token.as')).toHaveLength(9);
  }
});

test('the control plane through the load balancer needs the admin token and answers to the allowed host; the dashboard stream is not buffered', async () => {
  expect((await lb().get('/__sandbox/clock')).status).toBe(401);
  expect((await lb().get('/__sandbox/clock').set('authorization', `Bearer ${token}`)).status).toBe(200);
  const named = await lb().get('/__sandbox/clock').set('host', `sandbox.staging.example.com:${lbPort}`).set('authorization', `Bearer ${token}`);
  expect(named.status).toBe(200);
  const other = await lb().get('/__sandbox/clock').set('host', `evil.example:${lbPort}`).set('authorization', `Bearer ${token}`);
  expect(other.status).toBe(403);

  const stream = await SseClient.open(`http://127.0.0.1:${lbPort}/__sandbox/events`, { authorization: `Bearer ${token}` });
  try {
    await stream.nth('hello');
    await lb()
      .post('/oauth/authverify2.as')
      .type('form')
      .send(form({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: 'wrong' }));
    expect((await stream.nth('request')).data).toMatchObject({ platform: 'mantun', endpoint: 'authverify2.as' });
  } finally {
    stream.close();
  }
});

test("Redis killed and started again with the recipe's command: every token answered before still works", async () => {
  const { body } = await lb()
    .post('/oauth/authverify2.as')
    .type('form')
    .send(form({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: USER.passwd }));
  const secret = await md5(APP.appKey + 'authorization_code' + APP.redirectUri + body.code + APP.appSecret);
  const tokens = await lb()
    .post('/oauth/token.as')
    .type('form')
    .send(form({ client_id: APP.appKey, client_secret: secret, grant_type: 'authorization_code', redirect_uri: APP.redirectUri, code: body.code }));
  expect(tokens.body.success).toBe(true);
  await redis.kill();
  await redis.restart();
  const refreshSecret = await md5(APP.appKey + 'refresh_token' + APP.redirectUri + tokens.body.data.refreshToken + APP.appSecret);
  const deadline = Date.now() + 10_000;
  let refreshed;
  do {
    refreshed = await lb()
      .post('/oauth/refresh.as')
      .type('form')
      .send(
        form({
          client_id: APP.appKey,
          client_secret: refreshSecret,
          grant_type: 'refresh_token',
          redirect_uri: APP.redirectUri,
          refresh_token: tokens.body.data.refreshToken,
        }),
      );
    // Until a replica has reconnected it answers Mantun's "busy" (10099): the client tries again, as clients do.
  } while (refreshed.body.code === '10099' && Date.now() < deadline && (await new Promise((r) => setTimeout(r, 200))) === undefined);
  expect([refreshed.body.success, refreshed.body.code]).toEqual([true, '0']);
}, 30_000);
