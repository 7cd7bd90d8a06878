import { spawn } from 'node:child_process';
import request from 'supertest';
import { BIN, spawnSandbox, type Spawned } from '../helpers/cli.js';
import { form, getCode, getTokens, routerParams, tokenParams, type MantunTokens } from '../helpers/mantun.js';
import { freePort } from '../helpers/ports.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

/**
 * Redis goes away and comes back: start-up refuses at once with the cause; while it is down platform
 * endpoints answer in their own system-error shape and the control plane with 503, nothing hangs or
 * crashes; once it is back, service resumes and every token a client was given still works (AOF).
 */

/** A port nothing listens on. */
const closedPort = freePort;

test('start-up with no Redis there fails at once, saying where it looked and what to do', async () => {
  const port = await closedPort();
  const started = Date.now();
  const proc = spawn(process.execPath, [BIN, 'start', '--port', '0', '--store', `redis://127.0.0.1:${port}/0`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  expect(code).toBe(1);
  expect(out).toContain(`cannot reach Redis at redis://127.0.0.1:${port}/0 (connect ECONNREFUSED 127.0.0.1:${port}): start it, or check --store`);
  expect(Date.now() - started).toBeLessThan(15_000);
});

test('--db and a shared store together, or --workers without one, are refused with the reason', async () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const proc = spawn(process.execPath, [BIN, 'start', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
      proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
      proc.once('exit', (code) => resolve({ code, out }));
    });
  const both = await run(['--db', 'x.json', '--store', 'redis://127.0.0.1:1/0']);
  expect(both.code).toBe(1);
  expect(both.out).toContain('--db and --store redis://127.0.0.1:1/0 do not go together');
  const workers = await run(['--workers', '2']);
  expect(workers.code).toBe(1);
  expect(workers.out).toContain(
    '--workers 2 needs a shared store: worker processes hold no state of their own, they share it through Redis. Add --store redis://127.0.0.1:6379/0',
  );
});

describe('Redis down while serving, then back', () => {
  let redis: RedisServer;
  let sb: Spawned;
  beforeAll(async () => {
    redis = await startRedis({ appendonly: true });
    sb = await spawnSandbox(['start', '--port', '0', '--quiet', '--store', redis.url]);
  });
  afterAll(async () => {
    await sb.stop();
    await redis.stop();
  });

  test('platforms answer their system error, the control plane 503, fast; acknowledged tokens survive; service resumes', async () => {
    const http = request(sb.url);
    const before = await getTokens(http);
    await redis.kill();

    const started = Date.now();
    const down = await http
      .post('/oauth/authverify2.as')
      .type('form')
      .send('response_type=code&client_id=O000000049&redirect_uri=http://you-domain/xxx.jsp&uname=13800000000&passwd=sandbox123');
    expect(Date.now() - started).toBeLessThan(2500);
    expect([down.status, down.body]).toEqual([200, { success: false, code: '10099', message: 'service is busy, try again later' }]);
    const control = await http.get('/__sandbox/tokens');
    expect(control.status).toBe(503);
    expect(control.body.error).toBe('store_unavailable');
    expect(control.body.message).toMatch(/^the shared store is unreachable \(.+\)\. Check that Redis is running; the sandbox reconnects by itself\.$/);
    // Readiness says so (a load balancer takes this replica out); liveness says the process still serves.
    const ready = await http.get('/__sandbox/health');
    expect([ready.status, ready.body.status]).toEqual([503, 'unavailable']);
    expect((await http.get('/__sandbox/health/live')).body.status).toBe('ok');

    await redis.restart();
    // The client reconnects by itself within a second or so.
    const deadline = Date.now() + 10_000;
    let code: string | undefined;
    while (code === undefined && Date.now() < deadline) {
      code = await getCode(http).catch(() => undefined);
      if (code === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(code).toMatch(/^[0-9a-f]{32}$/);
    const now = (await http.get('/__sandbox/clock')).body.epochMs;
    const projects = await http
      .post('/invoke/router.as')
      .type('form')
      .send(form(routerParams(before.accessToken, 'GET_PROJECTS', now)));
    expect(projects.body).toMatchObject({ success: true, code: '0' });
  });

  test('killed under load and restarted: no 5xx, no answer slower than 2 s, no crash, every token received still works', async () => {
    const received: MantunTokens[] = [];
    const statuses: number[] = [];
    const slow: number[] = [];
    let stop = false;
    const workers = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const t0 = Date.now();
        try {
          const code = await getCode(request(sb.url));
          const res = await request(sb.url)
            .post('/oauth/token.as')
            .type('form')
            .send(form(tokenParams(code)));
          statuses.push(res.status);
          if (res.body.success === true) received.push(res.body.data as MantunTokens);
        } catch (e) {
          // getCode throws when authverify2.as answers the system error: a refusal, not a failure of the sandbox.
          if (!/authverify2\.as failed: .*"code":"10099"/.test((e as Error).message)) throw e;
          statuses.push(200);
        }
        const took = Date.now() - t0;
        if (took > 2000) slow.push(took);
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    await redis.kill();
    await new Promise((r) => setTimeout(r, 500));
    await redis.restart();
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(workers);

    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(slow).toEqual([]);
    expect(sb.proc.exitCode).toBeNull();
    expect(received.length).toBeGreaterThan(10);
    const now = (await request(sb.url).get('/__sandbox/clock')).body.epochMs;
    const results = await Promise.all(
      received.map((t) =>
        request(sb.url)
          .post('/invoke/router.as')
          .type('form')
          .send(form(routerParams(t.accessToken, 'GET_PROJECTS', now))),
      ),
    );
    expect(results.filter((r) => r.body.success !== true).map((r) => r.text)).toEqual([]);
  }, 60_000);
});
