import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/ports.js';
import { run } from '../helpers/processes.js';
import { workerRedis } from '../helpers/redis.js';

/**
 * A start on Redis that fails rejects with the cause and leaves nothing open behind it: the process
 * (a test runner's) can exit at once, not after ioredis's 2 s disconnect timer or never (a connection
 * retried for ever). Each case runs in a process of its own, the package as users import it (dist/).
 */

const PACKAGE = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** In a child: start, print the rejection, then what keeps the event loop alive besides the child's own stdio once the rejection's work is done. */
const CHILD = `
const { startSandbox } = await import(process.argv[1]);
const options = JSON.parse(process.argv[2]);
// The child's own stdio pipes open on first use: open them now, so only what the start leaves is counted.
void [process.stdout, process.stderr];
const own = process.getActiveResourcesInfo();
try {
  await startSandbox({ logLevel: 'silent', ...options });
  console.log(JSON.stringify({ started: true }));
  process.exit(3);
} catch (e) {
  const rejectedAt = performance.now();
  await new Promise((r) => setTimeout(r, 100));
  const open = process.getActiveResourcesInfo();
  for (const r of own) open.splice(open.indexOf(r), 1);
  process.on('exit', () => console.log(JSON.stringify({ message: e.message, open, exitMsAfterRejection: Math.round(performance.now() - rejectedAt) })));
}
`;

async function failedStart(options: Record<string, unknown>): Promise<{ message: string; open: string[]; exitMsAfterRejection: number }> {
  const r = await run(process.execPath, ['--input-type=module', '-e', CHILD, PACKAGE, JSON.stringify(options)], { timeoutMs: 20_000 });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(r.stdout);
}

test('Redis not there (a closed loopback port): rejects with the cause, nothing left open', async () => {
  const port = await freePort();
  const result = await failedStart({ port: 0, store: `redis://127.0.0.1:${port}/0` });
  expect(result.message).toBe(`cannot reach Redis at redis://127.0.0.1:${port}/0 (connect ECONNREFUSED 127.0.0.1:${port}): start it, or check --store`);
  // Only the child's own 100 ms wait was pending; ioredis's disconnect timer was a "Timeout" here.
  expect(result.open).toEqual([]);
  // Jest's "did not exit one second after the test run has completed".
  expect(result.exitMsAfterRejection).toBeLessThan(1000);
});

describe('Redis there, the port taken', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  test('rejects with the port in use and closes the store connections it had opened', async () => {
    const { url, prefix } = workerRedis();
    const result = await failedStart({ port, host: '127.0.0.1', store: url, storePrefix: prefix });
    expect(result.message).toContain(`${port}`);
    expect(result.open).toEqual([]);
    expect(result.exitMsAfterRejection).toBeLessThan(1000);
  });
});
