/**
 * One measured run of one case on one fresh server (bare baseline or sandbox), with the pool of
 * single-use values sized so no request ever gets a spent one: a run that overran its pool is
 * repeated once with a bigger pool, and a run whose check fails afterwards is marked invalid.
 */
import { measureLoad, PoolCursor } from './load.js';
import { cpuSecondsOfTree, request, rssOf, startServer, stopServer } from './procs.js';

async function check(url, kase, cursor) {
  const r = kase.request(kase.pool ? cursor.next() : 0);
  const res = await request(url + r.path, { method: r.method, headers: r.headers, body: r.body });
  let ok = false;
  try {
    ok = kase.ok(res.status, res.body);
  } catch {
    ok = false;
  }
  return { ok, status: res.status, body: res.body.slice(0, 300) };
}

/**
 * Redis round trips a request costs: PROBE requests one after the other, every command watched.
 * Commands a client sends count (a pipeline's commands share one trip, so this is an upper bound);
 * those a script runs inside Redis do not. Background work (the batched change notice) is included.
 */
const PROBE = 100;
async function probeRoundTrips(url, kase, cursor, redis) {
  // The load generator stops with requests in flight: let the server finish them first.
  await new Promise((r) => setTimeout(r, 500));
  const watch = await redis.monitor();
  let failed = 0;
  for (let i = 0; i < PROBE; i++) if (!(await check(url, kase, cursor)).ok) failed++;
  // Let the change notices of the last requests (batched, ~100 ms) arrive.
  await new Promise((r) => setTimeout(r, 250));
  const counts = watch.stop();
  return { perRequest: Math.round((counts.client / PROBE) * 10) / 10, insideScripts: Math.round((counts.lua / PROBE) * 10) / 10, failed };
}

function serverArgs(target, mod, spec, { db, store, workers }) {
  const json = JSON.stringify(spec);
  if (target === 'baseline') return ['bench/baseline/server.js', '--port', '0', '--quiet', '--platform', mod.platform, '--spec', json];
  return [
    'bench/server-with-tokens.js',
    '--platform',
    mod.platform,
    '--spec',
    json,
    ...(db ? ['--db', db] : []),
    ...(store ? ['--store', store] : []),
    ...(workers ? ['--workers', String(workers)] : []),
  ];
}

async function runOnce({ target, mod, kase, connections, pool, filler, db, store, workers, redis, config, amount }) {
  const spec = { case: kase.id, pool, filler };
  const label = `${target} ${kase.id}`;
  // Filling a million tokens takes seconds on a busy machine: give start-up room, but a bound.
  // A case whose requests are signed ahead (a fresh RSA signature each) signs them now, outside the measure.
  kase.prepare?.(pool);
  await redis?.flush();
  const server = await startServer({
    args: serverArgs(target, mod, spec, { db, store, workers }),
    label,
    timeoutMs: 60_000 + filler / 5,
    nodeFlags: ['--expose-gc'],
  });
  try {
    const rssStart = rssOf(server.pid);
    const cursor = new PoolCursor(pool);
    const before = await check(server.url, kase, cursor);
    if (!before.ok) throw new Error(`${label}: the first request failed, so nothing would be measured: HTTP ${before.status} ${before.body}`);
    let commandsBefore = 0;
    let cpuBefore;
    const beforeMeasure = async () => {
      commandsBefore = (await redis?.commands()) ?? 0;
      cpuBefore = { server: cpuSecondsOfTree(server.pid), loader: process.cpuUsage(), redis: redis?.cpuSeconds() };
    };
    const load = await measureLoad({ url: server.url, kase, cursor, connections, duration: config.duration, warmup: config.warmup, amount, beforeMeasure });
    // How the cores were shared over the measured run: CPU seconds per wall second of each party.
    const share = (seconds) => Math.round((seconds / load.seconds) * 100) / 100;
    const loaderUsage = process.cpuUsage(cpuBefore.loader);
    const cores = {
      server: share(cpuSecondsOfTree(server.pid) - cpuBefore.server),
      loader: share((loaderUsage.user + loaderUsage.system) / 1e6),
      ...(redis ? { redis: share(redis.cpuSeconds() - cpuBefore.redis) } : {}),
    };
    const commandsAfter = await redis?.commands();
    const roundTrips = redis ? await probeRoundTrips(server.url, kase, cursor, redis) : undefined;
    const after = await check(server.url, kase, cursor);
    const rssEnd = rssOf(server.pid);
    // Over the measured run alone (the INFO command itself is one of them: negligible).
    const redisCommandsPerRequest = redis ? Math.round(((commandsAfter - commandsBefore) / Math.max(1, load.requests)) * 10) / 10 : undefined;
    return {
      ...load,
      redisCommandsPerRequest,
      roundTrips,
      cores,
      connections,
      pool,
      filler,
      used: cursor.used,
      overrun: cursor.overrun,
      checkAfter: after.ok,
      checkAfterBody: after.ok ? undefined : after.body,
      rssStart,
      rssEnd,
      prefill: server.stdout.trim(),
    };
  } finally {
    await stopServer(server.child);
  }
}

/** Run, and once more with a pool 1.5× what was spent if the first run ran out of single-use values. */
export async function runCase(opts) {
  let result = await runOnce(opts);
  if (opts.kase.pool && result.overrun > 0) {
    const pool = Math.ceil(result.used * 1.5) + 1000;
    result = { ...(await runOnce({ ...opts, pool })), retriedWithPool: pool };
  }
  const problems = [];
  if (result.overrun > 0) problems.push(`pool of ${result.pool} ran out (${result.used} requests)`);
  if (!result.checkAfter) problems.push(`request after the run failed: ${result.checkAfterBody}`);
  if (result.errors || result.timeouts) problems.push(`${result.errors} errors, ${result.timeouts} timeouts`);
  if (result.non2xx) problems.push(`${result.non2xx} non-2xx answers`);
  if (result.roundTrips?.failed) problems.push(`${result.roundTrips.failed} of the round-trip probe's requests failed`);
  result.valid = problems.length === 0;
  if (problems.length) result.problems = problems;
  return result;
}

/** Pool sizes: the bare server is bounded by maxRate; the sandbox by what the bare server managed. */
export function baselinePool(kase, config) {
  return kase.pool ? Math.ceil(config.maxRate * (config.warmup + config.duration)) + 10 : 0;
}

export function poolAfter(kase, reference, factor = 1.25) {
  return kase.pool ? Math.ceil(reference.used * factor) + 1000 : 0;
}
