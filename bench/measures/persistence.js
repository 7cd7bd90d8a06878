/**
 * Persistence: the same case with `--db FILE` (a temp dir, removed afterwards) against in memory.
 * The in-memory figure is taken from the throughput section when it ran, else measured here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselinePool, poolAfter, runCase } from '../lib/runs.js';

export async function measurePersistence(config, cases, throughput, log) {
  const out = [];
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-bench-db-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', cleanup);
  try {
    for (const { mod, kase } of cases.filter((c) => c.kase.persistence)) {
      for (const connections of config.connections) {
        let memory = throughput.find((t) => t.case === kase.id && t.connections === connections)?.sandbox;
        if (!memory) {
          const base = await runCase({ target: 'baseline', mod, kase, connections, pool: baselinePool(kase, config), filler: 0, config });
          memory = await runCase({ target: 'sandbox', mod, kase, connections, pool: poolAfter(kase, base), filler: 0, config });
        }
        const db = join(dir, `${kase.id}-${connections}.json`);
        // Every grouped write rewrites the file, so an oversized pool would be measured too: start
        // small, and runCase grows the pool once if the run spends it all.
        const disk = await runCase({ target: 'sandbox', mod, kase, connections, pool: poolAfter(kase, memory, 0.3), filler: 0, db, config });
        rmSync(db, { force: true });
        log(`  ${kase.id} @${connections}: memory ${memory.rps} req/s | --db ${disk.rps} req/s p99 ${disk.latency.p99} ms`);
        out.push({ case: kase.id, label: kase.label, connections, memory, disk });
      }
    }
  } finally {
    cleanup();
  }
  return out;
}
