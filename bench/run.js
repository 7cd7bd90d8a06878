/**
 * `npm run bench`: the sandbox measured against a bare node:http server doing the same work, in one
 * run: start-up, throughput and latency per case, cost growth with the store's size, --db against
 * in memory, a shared Redis store and --workers against one process in memory, RSS under a long load and under large uploads. Prints a table with ratios and the issue's targets, and
 * writes bench/results.json (and bench/results.md for the README). See bench/README.md.
 */
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { BENCH_DIR, loadConfig, ROOT } from './lib/config.js';
import { loadCases } from './lib/cases.js';
import { installCleanup, stopAll } from './lib/procs.js';
import { buildRows, renderMarkdown, renderText } from './lib/report.js';
import { measureGrowth } from './measures/growth.js';
import { measureLoginFlood } from './measures/login-flood.js';
import { measureMemory } from './measures/memory.js';
import { measurePersistence } from './measures/persistence.js';
import { measureScaling } from './measures/scaling.js';
import { measureStartup, servedPlatforms } from './measures/startup.js';
import { measureThroughput } from './measures/throughput.js';
import { measureUploads } from './measures/uploads.js';

const log = (line) => process.stderr.write(`${line}\n`);

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

async function main() {
  const config = loadConfig();
  if (!existsSync(`${ROOT}dist/index.js`)) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does it for you).');
  installCleanup();
  const started = new Date();
  const host = machine();
  log(
    `bench: ${config.quick ? 'QUICK mode (smoke test)' : 'full run'} on ${host.cpu} × ${host.cores}, ${host.memoryGiB} GiB, Node ${host.node}; load average ${host.loadAverage.join(' ')}`,
  );
  log(`bench: ${config.warmup} s warm-up + ${config.duration} s per run, connections ${config.connections.join(', ')}, sections ${config.sections.join(', ')}`);
  const on = (s) => config.sections.includes(s);
  const results = {};
  let mark = Date.now();
  const lap = () => {
    const s = Math.round((Date.now() - mark) / 1000);
    mark = Date.now();
    return `(${s} s)`;
  };

  if (on('startup')) {
    log('Start-up and idle RSS');
    results.startup = await measureStartup(config, log);
    log(`  done ${lap()}`);
  }
  const served = results.startup?.platforms ?? (await servedPlatforms());
  const { selected, skipped } = await loadCases(served, config.cases);
  for (const s of skipped) log(`bench: skipping ${s.case}: ${s.why}`);
  log(`bench: platforms served: ${served.join(', ')}; cases: ${selected.map((c) => c.kase.id).join(', ') || '(none)'}`);

  if (on('throughput')) {
    log('Throughput and latency');
    results.throughput = await measureThroughput(config, selected, log);
    log(`  done ${lap()}`);
  }
  if (on('growth')) {
    log(`Cost growth (${config.growthSizes.join(' and ')} live tokens)`);
    results.growth = await measureGrowth(config, selected, log);
    log(`  done ${lap()}`);
  }
  if (on('persistence')) {
    log('Persistence (--db against in memory)');
    results.persistence = await measurePersistence(config, selected, results.throughput ?? [], log);
    log(`  done ${lap()}`);
  }
  if (on('scaling')) {
    log('Scaling out (in memory, on Redis, --workers 2 on Redis)');
    results.scaling = await measureScaling(config, selected, log);
    log(`  done ${lap()}`);
  }
  if (on('memory')) {
    log(`Memory under load (${config.journalRequests} requests)`);
    results.memory = await measureMemory(config, log);
    log(`  done ${lap()}`);
    log('Memory under large uploads (multipart file parts streamed)');
    results.uploads = await measureUploads(config, log);
    log(`  done ${lap()}`);
  }
  if (on('logins')) {
    log(`Records and RSS after ${config.logins} UserCenter password logins over ${config.loginDays} simulated days`);
    results.logins = await measureLoginFlood(config, log);
    log(`  done ${lap()}`);
  }

  const rows = buildRows(results, config);
  const invalid = [];
  for (const [section, list] of Object.entries(results)) {
    for (const r of Array.isArray(list) ? list : []) {
      for (const side of ['baseline', 'sandbox', 'memory', 'disk', 'redis', 'workers']) {
        if (r[side]?.problems)
          invalid.push(`${section} ${r.case} @${r.connections}${r.size !== undefined ? ` ${r.size} tokens` : ''} ${side}: ${r[side].problems.join('; ')}`);
      }
    }
  }
  const title = `Sandbox benchmark, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${host.cpu} × ${host.cores} cores, ${host.memoryGiB} GiB, ${host.os}, Node ${host.node}`;
  const notes = [
    `Runs: ${config.warmup} s warm-up + ${config.duration} s measured, autocannon on 127.0.0.1 in the same machine (it shares the CPU with the server).`,
    'Ratio = sandbox ÷ baseline (latency and RSS: higher is worse). Baseline = bench/baseline/server.js, a bare node:http server doing the same parsing, crypto and lookups.',
    ...(config.quick ? ["* QUICK mode: a smoke test of the bench itself; the figures are not the product's."] : []),
    ...skipped.map((s) => `Not measured: ${s.case} (${s.why}).`),
    ...invalid.map((i) => `INVALID: ${i}`),
  ];
  const text = `${title}\n\n${renderText(rows)}\n\n${notes.join('\n')}\n`;
  process.stdout.write(`\n${text}`);
  writeFileSync(
    `${BENCH_DIR}results.json`,
    `${JSON.stringify({ title, generatedAt: started.toISOString(), machine: host, config, skipped, rows, results }, null, 2)}\n`,
  );
  writeFileSync(`${BENCH_DIR}results.md`, `${title}\n\n${renderMarkdown(rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  log(`bench: wrote bench/results.json and bench/results.md (${Math.round((Date.now() - started.getTime()) / 1000)} s)`);
}

main()
  .catch((e) => {
    process.stderr.write(`bench: ${e?.stack ?? e}\n`);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
