/**
 * Where does a request's time go? Runs the sandbox (bench entry) under --cpu-prof, loads one case
 * for BENCH_DURATION seconds, stops it so V8 writes the profile, and prints the top functions.
 * Open the .cpuprofile in Chrome DevTools (Performance → Load profile) or speedscope for a flame graph.
 *
 *   node bench/profile.js [case id, default mantun.router]
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCases } from './lib/cases.js';
import { loadConfig } from './lib/config.js';
import { measureLoad, PoolCursor } from './lib/load.js';
import { installCleanup, request, startServer, stopServer } from './lib/procs.js';
import { renderProfile, summarizeProfile } from './lib/cpuprofile.js';

const caseId = process.argv[2] ?? 'mantun.router';
const config = loadConfig();
installCleanup();
const { selected } = await loadCases([caseId.split('.')[0]], [caseId]);
const found = selected.find((c) => c.kase.id === caseId);
if (!found) throw new Error(`no bench case "${caseId}"`);
const { mod, kase } = found;
const duration = Number(process.env.BENCH_DURATION ?? 10);
// The profile covers the whole process, filling included: keep the pool near what a profiled run spends.
const rate = Number(process.env.BENCH_PROFILE_RATE ?? 4000);
const pool = kase.pool ? Math.ceil(rate * (duration + 2)) : 0;
const dir = mkdtempSync(join(tmpdir(), 'sandbox-cpuprof-'));
const server = await startServer({
  args: ['bench/server-with-tokens.js', '--platform', mod.platform, '--spec', JSON.stringify({ case: kase.id, pool, filler: 0 })],
  nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  label: 'profiled sandbox',
  timeoutMs: 120_000,
});
let load;
try {
  const first = kase.request(0);
  const res = await request(server.url + first.path, { method: first.method, headers: first.headers, body: first.body });
  if (!kase.ok(res.status, res.body)) throw new Error(`first request failed: HTTP ${res.status} ${res.body}`);
  const cursor = new PoolCursor(pool);
  load = await measureLoad({ url: server.url, kase, cursor, connections: config.maxConnections, duration, warmup: 1 });
  if (cursor.overrun) process.stderr.write(`profile: the pool of ${pool} ran out (${cursor.used} requests): raise BENCH_PROFILE_RATE\n`);
} finally {
  await stopServer(server.child, 15_000);
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile written in ${dir}`);
process.stdout.write(`${kase.label}: ${load.rps} req/s at ${config.maxConnections} connections, p99 ${load.latency.p99} ms (profiling slows it)\n\n`);
process.stdout.write(`${renderProfile(summarizeProfile(join(dir, file)))}\n\nProfile file: ${join(dir, file)}\n`);
