import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:net';
import { writeOwnFile } from './private-file.js';
import { DETACHED_ENV } from './detached-child.js';
import { MEMORY_STORE, type StartSettings } from '../../core/config/option-table.js';
import { redactUrl } from '../../core/state/redis/redact-url.js';

/** What a worker tells the primary: it serves (and what its banner says), or it could not start. */
type WorkerMessage = { ready: string; dashboard: string; banner: string } | { failed: string };

/** What the primary's run does when all workers serve, when they could not, and when they have all ended. */
export interface PrimaryHooks {
  /** Every worker serves, before the banner is printed. */
  serving(url: string, port: number): void;
  ready(url: string, port: number, dashboard: string): void;
  failed(message: string): void;
  ended(code: number): void;
}

/** A worker that dies is started again, unless workers die faster than this (then something is wrong for good). */
const MIN_LIFETIME_MS = 5000;

const freePort = (host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export type WorkersArgs = Pick<StartSettings, 'workers' | 'store' | 'port' | 'host' | 'port-file'>;

/**
 * `sandbox start --workers N`: this process only supervises; N workers (Node's cluster module) serve
 * one port and share their state through the Redis store. The readiness line comes once all serve;
 * SIGTERM or SIGINT stops them all; a worker that dies is replaced.
 */
export async function runWorkers(args: WorkersArgs, hooks: PrimaryHooks): Promise<(why: string) => void> {
  if (args.store === MEMORY_STORE) {
    throw new Error(
      `--workers ${args.workers} needs a shared store: worker processes hold no state of their own, they share it through Redis. Add --store redis://127.0.0.1:6379/0 (or run one process without --workers).`,
    );
  }
  // Every worker must listen on the same port: a port 0 is chosen here once.
  const port = args.port === 0 ? await freePort(args.host) : args.port;
  // A worker serves until the primary ends (cluster ends a worker whose channel to it closes): the primary
  // alone plays the detached child, watches what started it, and writes the files and the record.
  const env = { SANDBOX_WORKER_PORT: String(port), [DETACHED_ENV]: '' };
  let stopping = false;
  const started = new Map<Worker, number>();
  const ready = new Set<Worker>();
  let announced = false;

  const fork = (): Worker => {
    const worker = cluster.fork(env);
    started.set(worker, Date.now());
    worker.on('message', (message: WorkerMessage) => {
      if ('failed' in message) {
        process.stderr.write(`sandbox: a worker could not start: ${message.failed}\n`);
        hooks.failed(`a worker could not start: ${message.failed}`);
        stopAll(1);
        return;
      }
      ready.add(worker);
      if (!announced && ready.size === args.workers) {
        announced = true;
        if (args['port-file']) writeOwnFile(args['port-file'], '--port-file', `${port}\n`, 0o644);
        // The run record says "ready" before the banner does: a `sandbox stop` sent on the banner's ready line finds it.
        hooks.serving(message.ready, port);
        process.stdout.write(`workers: ${args.workers} processes on port ${port}, sharing ${redactUrl(args.store)}\n${message.banner}`);
        hooks.ready(message.ready, port, message.dashboard);
      }
    });
    worker.on('exit', (code, signal) => {
      ready.delete(worker);
      if (stopping) return;
      const lived = Date.now() - (started.get(worker) ?? 0);
      process.stderr.write(
        `sandbox: worker ${worker.process.pid} ended (${signal ?? `exit ${code}`})${lived < MIN_LIFETIME_MS ? '; it did not live long enough to be replaced' : '; starting another'}\n`,
      );
      if (lived < MIN_LIFETIME_MS && !announced) {
        hooks.failed(`worker ${worker.process.pid} ended (${signal ?? `exit ${code}`}) before it was ready`);
        return stopAll(1);
      }
      fork();
    });
    return worker;
  };

  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    let left = workers.length;
    const end = () => {
      hooks.ended(code);
      process.exit(code);
    };
    if (left === 0) end();
    for (const w of workers) {
      w.once('exit', () => {
        if (--left === 0) end();
      });
      w.process.kill('SIGTERM');
    }
  };

  process.stdout.on('error', () => undefined);
  for (let i = 0; i < args.workers; i++) fork();
  process.once('SIGINT', () => {
    process.stdout.write('SIGINT: stopping the workers\n');
    stopAll(0);
  });
  process.once('SIGTERM', () => {
    process.stdout.write('SIGTERM: stopping the workers\n');
    stopAll(0);
  });
  return (why) => {
    process.stdout.write(`${why}: stopping the workers\n`);
    stopAll(0);
  };
}

/** In a worker: the port the primary chose, or undefined when this process is not a worker. */
export function workerPort(): number | undefined {
  return cluster.isWorker && process.env.SANDBOX_WORKER_PORT ? Number(process.env.SANDBOX_WORKER_PORT) : undefined;
}

/** In a worker: tell the primary it serves (it prints one banner for all), or why it could not start. */
export function tellPrimary(message: WorkerMessage): void {
  process.send?.(message);
}
