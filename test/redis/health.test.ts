import { startSandbox, type RunningSandbox } from '../../src/index.js';
import { eventually, runCliAsync } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { stallRedis } from './stall.js';

/**
 * Readiness tells the truth about the shared store: while Redis is gone or stalled, GET /__sandbox/health
 * answers 503 with the reason (so a load balancer, a Docker health check and `sandbox health --wait` drop
 * the replica), while GET /__sandbox/health/live stays 200 (the process serves: no restart needed).
 */

let redis: RedisServer;
let sb: RunningSandbox;
beforeAll(async () => {
  redis = await startRedis({ args: ['--enable-debug-command', 'yes'] });
  sb = await startSandbox({ port: 0, logLevel: 'silent', store: redis.url, storePrefix: 'health:' });
}, 30_000);
afterAll(async () => {
  await sb?.close();
  await redis?.stop();
});

const get = async (path: string) => {
  const res = await fetch(`${sb.url}${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const REASON = /^the shared store is unreachable \((.+)\)\. Check that Redis is running; the sandbox reconnects by itself\.$/;

test('with Redis up both answer 200 ok', async () => {
  expect(await get('/__sandbox/health')).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', store: 'shared' }) });
  expect((await get('/__sandbox/health')).body.reason).toBeUndefined();
  expect(await get('/__sandbox/health/live')).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', store: 'shared', pid: process.pid }) });
});

test('Redis stalled: readiness 503 "did not answer PING" within a second, liveness 200; ready again once it answers', async () => {
  const held = stallRedis(redis.port, 3);
  // Let the server take the DEBUG SLEEP before probing.
  await new Promise((r) => setTimeout(r, 200));
  const started = performance.now();
  const ready = await get('/__sandbox/health');
  const took = performance.now() - started;
  expect(ready.status).toBe(503);
  expect(ready.body).toMatchObject({ status: 'unavailable', store: 'shared' });
  expect(REASON.exec(String(ready.body.reason))?.[1]).toBe('Redis did not answer PING within 750 ms');
  // Under the 1 s a Kubernetes probe waits by default.
  expect(took).toBeLessThan(1000);
  expect(await get('/__sandbox/health/live')).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });
  await held;
  await eventually('readiness back to 200', async () => ((await get('/__sandbox/health')).status === 200 ? true : undefined), 10_000);
});

test('Redis gone: readiness 503 with the reason, liveness 200, `sandbox health --wait` waits for readiness', async () => {
  await redis.kill();
  const down = await eventually('readiness 503', async () => {
    const r = await get('/__sandbox/health');
    return r.status === 503 ? r : undefined;
  });
  expect(down.body).toMatchObject({ status: 'unavailable', store: 'shared' });
  expect(String(down.body.reason)).toMatch(REASON);
  expect(String(down.body.reason)).toMatch(/no connection to Redis \((connecting|reconnecting|close|end)\)|Connection is closed|ECONNREFUSED/);
  expect(await get('/__sandbox/health/live')).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });
  // The control plane's Express route answers the same (a path the fast path does not take).
  expect((await fetch(`${sb.url}/__sandbox/health/`)).status).toBe(503);

  const gaveUp = await runCliAsync(['health', '--url', sb.url, '--wait', '1000']);
  expect(gaveUp.status).toBe(1);
  // The reason from the 503 body, not just its status: the user sees it is the store, and what to do.
  const said = /^sandbox: not healthy at (\S+) \(HTTP 503: (.+)\)$/m.exec(gaveUp.stderr);
  expect(said?.[1]).toBe(`${sb.url}/__sandbox/health`);
  expect(said?.[2]).toMatch(REASON);

  const waiting = runCliAsync(['health', '--url', sb.url, '--wait', '20000']);
  await new Promise((r) => setTimeout(r, 500));
  await redis.restart();
  const ok = await waiting;
  expect({ status: ok.status, stdout: ok.stdout }).toEqual({ status: 0, stdout: `ok ${sb.url}\n` });
  expect((await get('/__sandbox/health')).status).toBe(200);
}, 40_000);
