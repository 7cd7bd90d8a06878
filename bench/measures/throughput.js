/** Throughput and latency of every case at every connection count: bare baseline, then sandbox, same run. */
import { baselinePool, poolAfter, runCase } from '../lib/runs.js';

export async function measureThroughput(config, cases, log) {
  const out = [];
  for (const { mod, kase } of cases.filter((c) => !c.kase.scalingOnly)) {
    for (const connections of config.connections) {
      const baseline = await runCase({ target: 'baseline', mod, kase, connections, pool: baselinePool(kase, config), filler: 0, config });
      const sandbox = await runCase({ target: 'sandbox', mod, kase, connections, pool: poolAfter(kase, baseline), filler: 0, config });
      log(
        `  ${kase.id} @${connections}: baseline ${baseline.rps} req/s p99 ${baseline.latency.p99} ms | sandbox ${sandbox.rps} req/s p99 ${sandbox.latency.p99} ms`,
      );
      out.push({ case: kase.id, label: kase.label, connections, targets: kase.targets ?? {}, baseline, sandbox });
    }
  }
  return out;
}
