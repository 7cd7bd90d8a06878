import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Jest's global setup and teardown: one real redis-server per Jest worker for the whole run (not one
 * per test file). The contract suites, the conformance kit's Redis flows and anything else that needs
 * "a Redis" take their worker's server and a key prefix of their own (test/helpers/redis.ts,
 * workerRedis()); tests that kill, restart or configure a Redis (test/redis/) still start their own.
 *
 * Self-contained on purpose: Jest loads this file with Node's own resolver, which cannot follow the
 * `.js` specifiers of the TypeScript helpers, so the little it needs of startRedis() is repeated here.
 */
export const WORKER_REDIS_ENV = 'SANDBOX_TEST_WORKER_REDIS';

/** What the teardown (redis-servers-teardown.ts, which cannot import this file either) finds on globalThis. */
interface Started {
  proc: ChildProcess;
  dir: string;
}

const pickPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const answers = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function startOne(): Promise<Started & { url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-jest-redis-'));
  const port = await pickPort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--logfile', join(dir, 'redis.log')], {
    stdio: 'ignore',
  });
  proc.once('error', () => undefined);
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (proc.exitCode !== null)
      throw new Error(`redis-server exited with ${proc.exitCode} before it listened on ${port} (is it installed? apt-get install redis-server)`);
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within 10 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { proc, dir, url: `redis://127.0.0.1:${port}/0` };
}

const KEY = '__sandboxJestRedis';

export default async function setup(globalConfig: { maxWorkers: number }): Promise<void> {
  const servers = await Promise.all(Array.from({ length: Math.max(1, globalConfig.maxWorkers) }, startOne));
  (globalThis as Record<string, unknown>)[KEY] = servers;
  // Should Jest end without its teardown (a failed hook, an error), the servers still go with it.
  process.once('exit', () => servers.forEach((s) => s.proc.kill('SIGTERM')));
  // Workers are forked after this runs, so they inherit the variable.
  process.env[WORKER_REDIS_ENV] = servers.map((s) => s.url).join(',');
}
