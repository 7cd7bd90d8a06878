/**
 * Cost growth: the same measures with N live tokens already in the store (issued through the real
 * lifecycle, so the records and indexes are what a long-running sandbox holds), and RSS at each size.
 */
import { baselinePool, poolAfter, runCase } from '../lib/runs.js';

export async function measureGrowth(config, cases, log) {
  const out = [];
  const connections = config.maxConnections;
  const wanted = (id) => !config.growthCases.length || config.growthCases.includes(id);
  for (const { mod, kase } of cases.filter((c) => c.kase.growth && wanted(c.kase.id))) {
    for (const size of config.growthSizes) {
      const baseline = await runCase({ target: 'baseline', mod, kase, connections, pool: baselinePool(kase, config), filler: size, config });
      const sandbox = await runCase({ target: 'sandbox', mod, kase, connections, pool: poolAfter(kase, baseline), filler: size, config });
      log(`  ${kase.id} with ${size} tokens: baseline ${baseline.rps} req/s ${mb(baseline.rssStart)} | sandbox ${sandbox.rps} req/s ${mb(sandbox.rssStart)}`);
      out.push({ case: kase.id, label: kase.label, connections, size, baseline, sandbox });
    }
  }
  return out;
}

const mb = (bytes) => `${Math.round(bytes / 1048576)} MB`;
