/**
 * Bench-only entry: the real sandbox (dist/) in this process, its store pre-filled directly
 * (a million HTTP calls would take longer than the measure), then listening on a free port.
 *
 *   node bench/server-with-tokens.js --platform mantun --spec '{"case":"mantun.token","pool":1000,"filler":0}' [--db FILE]
 *   ... --store redis://127.0.0.1:6379/0 [--workers 2]    (a shared store; N cluster workers on one port)
 *
 * Same options as `sandbox start --quiet` (log level warn, default body limit and journal size).
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { Sandbox } from '../dist/index.js';
import { freePort } from './lib/procs.js';
import { fillSandbox, seedRecords } from './lib/values.js';

const { values: args } = parseArgs({
  options: {
    platform: { type: 'string' },
    spec: { type: 'string', default: '{}' },
    db: { type: 'string' },
    store: { type: 'string' },
    prefix: { type: 'string', default: 'bench:' },
    workers: { type: 'string', default: '1' },
  },
});
const spec = JSON.parse(args.spec);
const workers = Number(args.workers);
const mod = args.platform ? await import(`./cases/${args.platform}.js`) : undefined;
const options = { logLevel: 'warn', db: args.db, store: args.store, storePrefix: args.prefix, scenario: mod?.scenario ? [mod.scenario] : [] };

/** Fill the world the run reads: the pool of single-use values, and filler tokens for the growth measure. */
async function prefill(sandbox) {
  const t0 = performance.now();
  if (mod) {
    await seedRecords(sandbox.world, mod.prefillSandbox(sandbox.world, spec));
    if (spec.filler) await fillSandbox(sandbox.world, mod.owner, spec.filler);
  }
  await sandbox.world.flush();
  globalThis.gc?.();
  return Math.round(performance.now() - t0);
}

/** Serve until told to stop (SIGTERM, SIGINT, or the runner's pipe closing). */
function serveUntilStopped(sandbox) {
  // A normal exit lets --cpu-prof write its profile; a closed pipe means the runner is gone.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    sandbox.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Diagnostics for tuning: `kill -USR2 <pid>` prints the heap after a full GC (with --expose-gc), to
  // tell retained memory from V8's headroom when RSS grows.
  process.on('SIGUSR2', () => {
    globalThis.gc?.();
    const m = process.memoryUsage();
    const mb = (n) => Math.round(n / 1048576);
    process.stdout.write(
      `memory: rss ${mb(m.rss)} MB, heapUsed ${mb(m.heapUsed)} MB, heapTotal ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB, arrayBuffers ${mb(m.arrayBuffers)} MB, journal ${sandbox.journal.size}\n`,
    );
  });
  if (cluster.isPrimary) {
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}

if (workers > 1 && cluster.isPrimary) {
  // The primary fills the shared store once, then N workers serve it on one port.
  const filler = await Sandbox.create({ ...options, port: 0 });
  const prefillMs = await prefill(filler);
  await filler.close();
  const port = await freePort();
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    const worker = cluster.fork({ BENCH_WORKER_PORT: String(port) });
    worker.on('message', (m) => {
      if (m === 'ready' && ++ready === workers)
        process.stdout.write(`Sandbox ready at http://127.0.0.1:${port} (${workers} workers, prefill ${prefillMs} ms)\n`);
    });
  }
  const stop = () => {
    for (const w of Object.values(cluster.workers)) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 3000).unref();
    let left = workers;
    cluster.on('exit', () => --left === 0 && process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
} else if (cluster.isWorker) {
  const sandbox = await Sandbox.create({ ...options, port: Number(process.env.BENCH_WORKER_PORT) });
  await sandbox.listen();
  serveUntilStopped(sandbox);
  process.send('ready');
} else {
  const sandbox = await Sandbox.create({ ...options, port: 0 });
  const prefillMs = await prefill(sandbox);
  await sandbox.listen();
  const size = await sandbox.world.tokens.count();
  process.stdout.write(`Sandbox ready at ${sandbox.url} (store ${size} tokens, prefill ${prefillMs} ms)\n`);
  serveUntilStopped(sandbox);
}
