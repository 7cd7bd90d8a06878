/**
 * Scaling out (--store redis, --workers): each case marked `scaling` on three sandboxes, one after
 * the other, at the highest connection count: one process in memory (the reference), one process on
 * a Redis of the bench's own, and `--workers 2` on that Redis. Records p99, the Redis commands each
 * request cost, and the CPU each party used (sandbox processes, load generator, redis-server), so the
 * report can say how the machine's cores were shared.
 */
import { startRedis } from '../lib/redis.js';
import { poolAfter, runCase } from '../lib/runs.js';

/** A first guess at how many requests a run can spend: signed cases manage ~1 000 a second a core. */
const firstPool = (kase, config) => (kase.pool ? Math.ceil((kase.signed ? 1500 : config.maxRate) * (config.warmup + config.duration)) + 1000 : 0);

export async function measureScaling(config, cases, log) {
  const chosen = cases.filter((c) => c.kase.scaling);
  if (!chosen.length) return [];
  const redis = await startRedis();
  const out = [];
  try {
    const connections = config.maxConnections;
    for (const { mod, kase } of chosen) {
      const memory = await runCase({ target: 'sandbox', mod, kase, connections, pool: firstPool(kase, config), filler: 0, config });
      const single = await runCase({
        target: 'sandbox',
        mod,
        kase,
        connections,
        pool: poolAfter(kase, memory, 1.5),
        filler: 0,
        config,
        store: redis.url,
        redis,
      });
      const workers = await runCase({
        target: 'sandbox',
        mod,
        kase,
        connections,
        pool: poolAfter(kase, single, 2.5),
        filler: 0,
        config,
        store: redis.url,
        redis,
        workers: 2,
      });
      const line = (name, r) =>
        `${name} ${r.rps} req/s p99 ${r.latency.p99} ms${r.roundTrips ? `, ${r.roundTrips.perRequest} Redis round trips/request (${r.redisCommandsPerRequest} commands run)` : ''}, cores: ${Object.entries(
          r.cores,
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(' ')}`;
      log(`  ${kase.id} @${connections}: ${line('memory', memory)} | ${line('redis', single)} | ${line('redis --workers 2', workers)}`);
      out.push({ case: kase.id, label: kase.label, connections, targets: kase.scaling, memory, redis: single, workers });
    }
  } finally {
    await redis.stop();
  }
  return out;
}
