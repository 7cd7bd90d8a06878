import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/ports.js';
import { run } from '../helpers/processes.js';
import { workerRedis } from '../helpers/redis.js';

/**
 * A start on Redis that fails rejects with the cause and leaves nothing open behind it: the process
 * (a test runner's) can exit at once, not after ioredis's 2 s disconnect timer or never (a connection
 * retried for ever). Each case runs in a process of its own, the package as users import it (dist/).
 */

const PACKAGE = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** In a child: start, print the rejection, then what keeps the event loop alive besides the child's own stdio once the rejection's work is done. */
const CHILD = `
const { startSandbox } = await import(process.argv[1]);
const options = JSON.parse(process.argv[2]);
// The child's own stdio pipes open on first use: open them now, so only what the start leaves is counted.
void [process.stdout, process.stderr];
const own = process.getActiveResourcesInfo();
try {
  await startSandbox({ logLevel: 'silent', ...options });
  console.log(JSON.stringify({ started: true }));
  process.exit(3);
} catch (e) {
  const rejectedAt = performance.now();
  await new Promise((r) => setTimeout(r, 100));
  const open = process.getActiveResourcesInfo();
  for (const r of own) open.splice(open.indexOf(r), 1);
  process.on('exit', () => console.log(JSON.stringify({ message: e.message, open, exitMsAfterRejection: Math.round(performance.now() - rejectedAt) })));
}
`;

async function failedStart(options: Record<string, unknown>): Promise<{ message: string; open: string[]; exitMsAfterRejection: number }> {
  const r = await run(process.execPath, ['--input-type=module', '-e', CHILD, PACKAGE, JSON.stringify(options)], { timeoutMs: 20_000 });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(r.stdout);
}

test('Redis not there (a closed loopback port): rejects with the cause, nothing left open', async () => {
  const port = await freePort();
  const result = await failedStart({ port: 0, store: `redis://127.0.0.1:${port}/0` });
  expect(result.message).toBe(`cannot reach Redis at redis://127.0.0.1:${port}/0 (connect ECONNREFUSED 127.0.0.1:${port}): start it, or check --store`);
  // Only the child's own 100 ms wait was pending; ioredis's disconnect timer was a "Timeout" here.
  expect(result.open).toEqual([]);
  // Jest's "did not exit one second after the test run has completed".
  expect(result.exitMsAfterRejection).toBeLessThan(1000);
});

test('a password in the store URL stays out of the message, one that holds an "@" included', async () => {
  const port = await freePort();
  const result = await failedStart({ port: 0, store: `redis://reader:s3cr@t-pw@127.0.0.1:${port}/0` });
  expect(result.message).toBe(`cannot reach Redis at redis://***@127.0.0.1:${port}/0 (connect ECONNREFUSED 127.0.0.1:${port}): start it, or check --store`);
  expect(result.message).not.toContain('pw');
});

describe('Redis there, the port taken', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  test('rejects with the port in use and closes the store connections it had opened', async () => {
    const { url, prefix } = workerRedis();
    const result = await failedStart({ port, host: '127.0.0.1', store: url, storePrefix: prefix });
    expect(result.message).toContain(`${port}`);
    expect(result.open).toEqual([]);
    expect(result.exitMsAfterRejection).toBeLessThan(1000);
  });
});

/** In a child: a redis-server of its own, a sandbox on it; Redis killed (by its pid), then close(). */
const CLOSE_AFTER_REDIS_GONE = `
const { spawn } = await import('node:child_process');
const { mkdtempSync, rmSync } = await import('node:fs');
const { startSandbox } = await import(process.argv[1]);
const port = Number(process.argv[2]);
const dir = mkdtempSync(process.argv[3]);
void [process.stdout, process.stderr];
const own = process.getActiveResourcesInfo();
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir], { stdio: 'ignore' });
let sb;
for (let i = 0; !sb; i++) {
  try {
    sb = await startSandbox({ port: 0, logLevel: 'silent', store: 'redis://127.0.0.1:' + port + '/0' });
  } catch (e) {
    if (i > 100) throw e;
    await new Promise((r) => setTimeout(r, 50));
  }
}
const gone = new Promise((r) => redis.once('exit', r));
redis.kill('SIGKILL');
await gone;
rmSync(dir, { recursive: true, force: true });
await new Promise((r) => setTimeout(r, 300));
await sb.close();
const closedAt = performance.now();
await new Promise((r) => setTimeout(r, 300));
const open = process.getActiveResourcesInfo();
for (const r of own) open.splice(open.indexOf(r), 1);
process.on('exit', () => console.log(JSON.stringify({ open, exitMsAfterClose: Math.round(performance.now() - closedAt) })));
`;

test('close() after Redis went away leaves nothing open either (ioredis waited 2 s for a connection already dropped)', async () => {
  const port = await freePort();
  const r = await run(process.execPath, ['--input-type=module', '-e', CLOSE_AFTER_REDIS_GONE, PACKAGE, String(port), join(tmpdir(), 'sandbox-close-')], {
    timeoutMs: 30_000,
  });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const result = JSON.parse(r.stdout) as { open: string[]; exitMsAfterClose: number };
  // 300 ms after close() nothing is pending (before: ioredis's 2 s disconnect timers).
  expect(result.open).toEqual([]);
  expect(result.exitMsAfterClose).toBeLessThan(1000);
}, 40_000);
