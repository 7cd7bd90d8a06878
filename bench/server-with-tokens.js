/**
 * Bench-only entry: the real sandbox (dist/) in this process, its store pre-filled directly
 * (a million HTTP calls would take longer than the measure), then listening on a free port.
 *
 *   node bench/server-with-tokens.js --platform mantun --spec '{"case":"mantun.token","pool":1000,"filler":0}' [--db FILE]
 *
 * Same options as `sandbox start --quiet` (log level warn, default body limit and journal size).
 */
import { parseArgs } from 'node:util';
import { Sandbox } from '../dist/index.js';
import { fillSandbox } from './lib/values.js';

const { values: args } = parseArgs({ options: { platform: { type: 'string' }, spec: { type: 'string', default: '{}' }, db: { type: 'string' } } });
const spec = JSON.parse(args.spec);

const sandbox = await Sandbox.create({ port: 0, logLevel: 'warn', db: args.db });
const t0 = performance.now();
if (args.platform) {
  const mod = await import(`./cases/${args.platform}.js`);
  mod.prefillSandbox(sandbox.world, spec);
  if (spec.filler) fillSandbox(sandbox.world, mod.owner, spec.filler);
}
await sandbox.world.persist();
globalThis.gc?.();
const prefillMs = Math.round(performance.now() - t0);
await sandbox.listen();
process.stdout.write(`Sandbox ready at ${sandbox.url} (store ${sandbox.world.store.size} tokens, prefill ${prefillMs} ms)\n`);

// A normal exit lets --cpu-prof write its profile; a closed pipe means the runner is gone.
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  sandbox.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
// Diagnostics for tuning: `kill -USR2 <pid>` prints the heap after a full GC (with --expose-gc), to
// tell retained memory from V8's headroom when RSS grows.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  const mb = (n) => Math.round(n / 1048576);
  process.stdout.write(`memory: rss ${mb(m.rss)} MB, heapUsed ${mb(m.heapUsed)} MB, heapTotal ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB, arrayBuffers ${mb(m.arrayBuffers)} MB, journal ${sandbox.journal.size}\n`);
});
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
