/** Every knob of `npm run bench`, read once from the environment. Quick mode is a smoke test, not a figure. */
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url));

const env = process.env;
const num = (name, fallback) => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${raw}: expected a non-negative number`);
  return n;
};
const list = (name, fallback) =>
  env[name]
    ? env[name]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : fallback;

export const SECTIONS = ['startup', 'throughput', 'growth', 'persistence', 'scaling', 'memory', 'logins'];

export function loadConfig() {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const config = {
    quick,
    /** Seconds of load that is measured, per run. */
    duration: num('BENCH_DURATION', quick ? 1 : 10),
    /** Seconds of load before each measured run, thrown away (JIT, socket pools, V8 heap sizing). */
    warmup: num('BENCH_WARMUP', quick ? 0.5 : 3),
    connections: list('BENCH_CONNECTIONS', quick ? ['100'] : ['10', '100']).map(Number),
    startupRuns: num('BENCH_STARTUP_RUNS', quick ? 3 : 10),
    /** Live tokens in the store for the cost-growth measure (small, large). */
    growthSizes: list('BENCH_GROWTH_SIZES', quick ? ['1000', '50000'] : ['1000', '1000000']).map(Number),
    /** Cases measured for cost growth (default: every case marked `growth`; quick mode: one). */
    growthCases: list('BENCH_GROWTH_CASES', quick ? ['mantun.router'] : []),
    /** Requests sent before reading RSS again (bounded journal check). */
    journalRequests: num('BENCH_JOURNAL_REQUESTS', quick ? 10000 : 100000),
    /** UserCenter password logins of the login-flood measure, spread over this many simulated days (BENCH_LOGINS=1000000: the full flood). */
    logins: num('BENCH_LOGINS', quick ? 20000 : 200000),
    loginDays: num('BENCH_LOGIN_DAYS', quick ? 10 : 20),
    /** Upper bound on what the bare server can answer per second; sizes its pool of single-use values. */
    maxRate: num('BENCH_MAX_RATE', 40000),
    sections: list('BENCH_ONLY', SECTIONS),
    cases: list('BENCH_CASES', []),
  };
  for (const s of config.sections) if (!SECTIONS.includes(s)) throw new Error(`BENCH_ONLY: unknown section "${s}" (known: ${SECTIONS.join(', ')})`);
  if (config.connections.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('BENCH_CONNECTIONS: expected positive integers, e.g. 10,100');
  if (config.duration <= 0) throw new Error('BENCH_DURATION must be > 0');
  config.maxConnections = Math.max(...config.connections);
  return config;
}
