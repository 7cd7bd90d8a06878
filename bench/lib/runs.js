/**
 * One measured run of one case on one fresh server (bare baseline or sandbox), with the pool of
 * single-use values sized so no request ever gets a spent one: a run that overran its pool is
 * repeated once with a bigger pool, and a run whose check fails afterwards is marked invalid.
 */
import { measureLoad, PoolCursor } from './load.js';
import { request, rssOf, startServer, stopServer } from './procs.js';

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

function serverArgs(target, mod, spec, db) {
  const json = JSON.stringify(spec);
  if (target === 'baseline') return ['bench/baseline/server.js', '--port', '0', '--quiet', '--platform', mod.platform, '--spec', json];
  return ['bench/server-with-tokens.js', '--platform', mod.platform, '--spec', json, ...(db ? ['--db', db] : [])];
}

async function runOnce({ target, mod, kase, connections, pool, filler, db, config, amount }) {
  const spec = { case: kase.id, pool, filler };
  const label = `${target} ${kase.id}`;
  // Filling a million tokens takes seconds on a busy machine: give start-up room, but a bound.
  const server = await startServer({ args: serverArgs(target, mod, spec, db), label, timeoutMs: 60_000 + filler / 5, nodeFlags: ['--expose-gc'] });
  try {
    const rssStart = rssOf(server.pid);
    const cursor = new PoolCursor(pool);
    const before = await check(server.url, kase, cursor);
    if (!before.ok) throw new Error(`${label}: the first request failed, so nothing would be measured: HTTP ${before.status} ${before.body}`);
    const load = await measureLoad({ url: server.url, kase, cursor, connections, duration: config.duration, warmup: config.warmup, amount });
    const after = await check(server.url, kase, cursor);
    const rssEnd = rssOf(server.pid);
    return { ...load, connections, pool, filler, used: cursor.used, overrun: cursor.overrun, checkAfter: after.ok, checkAfterBody: after.ok ? undefined : after.body, rssStart, rssEnd, prefill: server.stdout.trim() };
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
