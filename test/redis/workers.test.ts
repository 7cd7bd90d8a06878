import { get } from 'node:http';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { spawnSandbox, type Spawned } from '../helpers/cli.js';
import { form, getCode, getTokens, refreshParams, tokenParams } from '../helpers/mantun.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

/** `sandbox start --workers 2`: two processes behind one port, one world between them. */

let redis: RedisServer;
let sb: Spawned;
let dir: string;

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'sandbox-workers-'));
  sb = await spawnSandbox(['start', '--port', '0', '--port-file', join(dir, 'port'), '--quiet', '--workers', '2', '--store', redis.url], 30_000);
}, 40_000);
afterAll(async () => {
  await sb?.stop();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** GET /__sandbox/health on a new connection each time, so the cluster spreads them over its workers. */
const healthPid = (): Promise<number> =>
  new Promise((resolve, reject) => {
    get(`${sb.url}/__sandbox/health`, { agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve((JSON.parse(text) as { pid: number }).pid));
    }).on('error', reject);
  });

test('one readiness line and one port file for both workers, and both answer', async () => {
  expect(sb.output().match(/Sandbox ready at/g)).toHaveLength(1);
  expect(sb.output()).toContain('workers: 2 processes on port');
  expect(readFileSync(join(dir, 'port'), 'utf8').trim()).toBe(new URL(sb.url).port);
  const pids = new Set<number>();
  for (let i = 0; i < 40 && pids.size < 2; i++) pids.add(await healthPid());
  expect(pids.size).toBe(2);
  expect(pids.has(sb.proc.pid!)).toBe(false);
});

test('through one port: a code is exchanged once, 100 concurrent refreshes have one winner, nth: 3 fires once', async () => {
  const http = request(sb.url);
  const code = await getCode(http);
  const exchanges = await Promise.all(
    Array.from({ length: 20 }, () =>
      request(sb.url)
        .post('/oauth/token.as')
        .type('form')
        .send(form(tokenParams(code))),
    ),
  );
  expect(exchanges.filter((r) => r.body.success === true)).toHaveLength(1);

  const tokens = await getTokens(http);
  const refreshes = await Promise.all(
    Array.from({ length: 100 }, () =>
      request(sb.url)
        .post('/oauth/refresh.as')
        .type('form')
        .send(form(refreshParams(tokens.refreshToken))),
    ),
  );
  expect(refreshes.filter((r) => r.body.success === true)).toHaveLength(1);

  await http
    .post('/__sandbox/faults')
    .send({ id: 'third', endpoint: 'authverify2.as', nth: 3, respond: { status: 503 } })
    .expect(201);
  const statuses: number[] = [];
  for (let i = 0; i < 9; i++) statuses.push((await request(sb.url).post('/oauth/authverify2.as').type('form').send('response_type=code')).status);
  expect(statuses.map((s, i) => [i + 1, s]).filter(([, s]) => s === 503)).toEqual([[3, 503]]);
  const journal = (await http.get('/__sandbox/requests?endpoint=authverify2.as&limit=9')).body.requests as { rule?: string }[];
  expect(journal.filter((e) => e.rule === 'third')).toHaveLength(1);
});

test('SIGTERM to the primary stops every worker and frees the port', async () => {
  const port = Number(new URL(sb.url).port);
  expect(await sb.stop()).toBe(0);
  await expect(request(`http://127.0.0.1:${port}`).get('/__sandbox/health').timeout(2000)).rejects.toThrow(/ECONNREFUSED/);
});
