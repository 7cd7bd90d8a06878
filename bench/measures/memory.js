/**
 * Memory under a long load: `sandbox start` as a user runs it, RSS idle, then N router.as requests
 * (nothing that adds tokens: only the journal could grow), then RSS again. The bare baseline takes
 * the same load, so the growth that Node itself shows under 100 connections (socket buffers, the
 * allocator's high-water mark, V8's heap headroom) is visible next to the sandbox's.
 */
import { measureLoad } from '../lib/load.js';
import { request, rssOf, sleep, startServer, stopServer } from '../lib/procs.js';

async function under(server, kase, config) {
  await sleep(500);
  const idle = rssOf(server.pid);
  const result = await measureLoad({ url: server.url, kase, connections: config.maxConnections, warmup: 0, amount: config.journalRequests });
  await sleep(1000);
  return { idle, after: rssOf(server.pid), requests: result.requests, rps: result.rps, errors: result.errors + result.timeouts + result.non2xx };
}

export async function measureMemory(config, log) {
  const mantun = await import('../cases/mantun.js');
  const routerCase = mantun.cases.find((c) => c.id === 'mantun.router');
  const spec = JSON.stringify({ case: routerCase.id, pool: 0, filler: 0 });
  const bare = await startServer({
    args: ['bench/baseline/server.js', '--port', '0', '--quiet', '--platform', 'mantun', '--spec', spec],
    label: 'baseline (memory)',
  });
  let baseline;
  try {
    baseline = await under(bare, routerCase, config);
  } finally {
    await stopServer(bare.child);
  }
  const server = await startServer({ args: ['bin/sandbox.js', 'start', '--port', '0', '--quiet'], label: 'sandbox (memory)' });
  try {
    const kase = await mantun.liveRouterCase(server.url, request);
    const sandbox = await under(server, kase, config);
    sandbox.journalEntries = JSON.parse((await request(`${server.url}/__sandbox/requests?limit=100000`)).body).count;
    log(
      `  ${sandbox.requests} router.as requests: baseline RSS ${mb(baseline.idle)} → ${mb(baseline.after)} | sandbox ${mb(sandbox.idle)} → ${mb(sandbox.after)}, journal holds ${sandbox.journalEntries}`,
    );
    return { baseline, sandbox };
  } finally {
    await stopServer(server.child);
  }
}

const mb = (bytes) => `${Math.round(bytes / 1048576)} MB`;
