/**
 * Memory under a long load: `sandbox start` as a user runs it, RSS idle, then N router.as requests
 * (nothing that adds tokens: only the journal could grow), then RSS again. The journal is bounded,
 * so the difference should be V8's heap sizing, not retained requests.
 */
import { measureLoad } from '../lib/load.js';
import { request, rssOf, sleep, startServer, stopServer } from '../lib/procs.js';

export async function measureMemory(config, log) {
  const { liveRouterCase } = await import('../cases/mantun.js');
  const server = await startServer({ args: ['bin/sandbox.js', 'start', '--port', '0', '--quiet'], label: 'sandbox (memory)' });
  try {
    await sleep(500);
    const idle = rssOf(server.pid);
    const kase = await liveRouterCase(server.url, request);
    const load = await measureLoad({ url: server.url, kase, connections: config.maxConnections, warmup: 0, amount: config.journalRequests });
    await sleep(1000);
    const after = rssOf(server.pid);
    const journal = JSON.parse((await request(`${server.url}/__sandbox/requests?limit=100000`)).body).count;
    log(`  ${load.requests} router.as requests: RSS ${mb(idle)} → ${mb(after)}, journal holds ${journal}`);
    return { requests: load.requests, rps: load.rps, errors: load.errors + load.timeouts + load.non2xx, idle, after, journalEntries: journal };
  } finally {
    await stopServer(server.child);
  }
}

const mb = (bytes) => `${Math.round(bytes / 1048576)} MB`;
