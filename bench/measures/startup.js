/**
 * Start-up: spawn to the first 200 from /__sandbox/health, for `sandbox start --port 0 --quiet`
 * and for the bare node:http script started the same way, interleaved so drift hits both alike.
 * Idle RSS is read from the same processes half a second after that first 200.
 */
import { request, rssOf, sleep, startServer, stopServer } from '../lib/procs.js';

const COMMANDS = {
  baseline: ['bench/baseline/server.js', '--port', '0', '--quiet'],
  sandbox: ['bin/sandbox.js', 'start', '--port', '0', '--quiet'],
};

async function firstHealthy(url, deadlineMs) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      const res = await request(`${url}/__sandbox/health`, { timeoutMs: 2000 });
      if (res.status === 200) return res;
    } catch (e) {
      if (Date.now() > until) throw e;
    }
    if (Date.now() > until) throw new Error(`${url}/__sandbox/health: no 200 within ${deadlineMs} ms`);
    await sleep(5);
  }
}

async function once(target) {
  const server = await startServer({ args: COMMANDS[target], label: `${target} start-up` });
  try {
    const health = await firstHealthy(server.url, 10_000);
    const ms = Number(process.hrtime.bigint() - server.started) / 1e6;
    await sleep(500);
    return { ms, rss: rssOf(server.pid), health: JSON.parse(health.body) };
  } finally {
    await stopServer(server.child);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function measureStartup(config, log) {
  const runs = { baseline: [], sandbox: [] };
  // One untimed start of each first: the OS file cache is then warm for both, as it is in CI after npm ci.
  await once('baseline');
  const first = await once('sandbox');
  for (let i = 0; i < config.startupRuns; i++) {
    for (const target of ['baseline', 'sandbox']) runs[target].push(await once(target));
    log(`  start-up run ${i + 1}/${config.startupRuns}: baseline ${runs.baseline[i].ms.toFixed(0)} ms, sandbox ${runs.sandbox[i].ms.toFixed(0)} ms`);
  }
  const summary = (rs) => ({ ms: median(rs.map((r) => r.ms)), rss: median(rs.map((r) => r.rss)), runsMs: rs.map((r) => Math.round(r.ms)) });
  return { baseline: summary(runs.baseline), sandbox: summary(runs.sandbox), platforms: first.health.platforms ?? [] };
}

/** Which platforms a built sandbox serves, without timing anything (when the start-up section is skipped). */
export async function servedPlatforms() {
  const r = await once('sandbox');
  return r.health.platforms ?? [];
}
