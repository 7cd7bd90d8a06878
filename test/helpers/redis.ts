import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

/** A real redis-server (Debian's), started by a test on a free port in a folder of its own, and stopped by it. */
export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL: a crash, as far as clients can tell. */
  kill(): Promise<void>;
  /** Start it again on the same port and folder (with AOF on, what it acknowledged comes back). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function waitForPort(port: number, proc: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode} before it listened on ${port}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * `appendonly` keeps every acknowledged write (`appendfsync always`), as docs/scaling.md recommends
 * for a staging sandbox that must not lose tokens.
 */
export async function startRedis(opts: { appendonly?: boolean; args?: string[] } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--logfile', join(dir, 'redis.log')];
  if (opts.appendonly) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  // Options as a recipe gives them (docs/scaling.md's compose file); those above stay: the test owns port and folder.
  if (opts.args) args.push(...opts.args);
  let proc: ChildProcess;
  const start = async () => {
    proc = spawn('redis-server', args, { stdio: 'ignore' });
    proc.once('error', () => undefined);
    await waitForPort(port, proc);
  };
  const ended = () => (proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => proc.once('exit', () => r())));
  await start();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    kill: async () => {
      proc.kill('SIGKILL');
      await ended();
    },
    restart: start,
    stop: async () => {
      proc.kill('SIGTERM');
      await ended();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Set by test/support/redis-servers.ts (the global setup): one URL per Jest worker, comma-separated, in worker order. */
const WORKER_REDIS_ENV = 'SANDBOX_TEST_WORKER_REDIS';

let prefixes = 0;

/**
 * This Jest worker's redis-server (started once for the whole run by the global setup, one per worker,
 * so no test file pays for a start), and a key prefix no other test of the run uses: files and tests
 * share the server, never each other's keys.
 */
export function workerRedis(): { url: string; prefix: string } {
  const urls = (process.env[WORKER_REDIS_ENV] ?? '').split(',').filter(Boolean);
  if (!urls.length) throw new Error(`${WORKER_REDIS_ENV} is not set: run the tests through jest.config.js, whose global setup starts the Redis servers`);
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const url = urls[(worker - 1) % urls.length];
  return { url, prefix: `w${worker}-${process.pid}-${++prefixes}-${Math.random().toString(36).slice(2, 8)}:` };
}
