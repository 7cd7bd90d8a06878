import fc from 'fast-check';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { getTokens as mantunTokens } from '../helpers/mantun.js';
import { login as usercenterLogin } from '../helpers/usercenter.js';
import { getTokens as sopTokens } from '../helpers/sop.js';
import { getTokens as zjrcTokens } from '../helpers/zjrc.js';
import { closeAgent, sendRaw, settledHeap, universalProblem } from './fuzz-http.js';
import { fieldBooks, platformProblem, platformTargets } from './fuzz-platforms.js';
import { describe as describeRequest, requestArbitrary, type Generated } from './fuzz-requests.js';
import { firstDifference, seedState, snapshot } from './fuzz-state.js';

/** Seeded, so a failure reproduces: rerun with the same seed (and FUZZ_RUNS) to get the same requests. */
const SEED = Number(process.env.FUZZ_SEED ?? 9);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
/** Heap growth allowed between two equal phases once the journal is full: generous, yet far below a leak of the bodies sent. */
const HEAP_GROWTH_LIMIT = 24 * 1024 * 1024;

let t: TestSandbox;
let before: string;
const counts = { requests: 0, endpoints: 0, paths: 0, byPlatform: {} as Record<string, number>, byKind: {} as Record<string, number> };

beforeAll(async () => {
  t = await startTestSandbox({ seed: 'fuzz' });
  await seedState(t);
  before = snapshot(t.sb.sandbox);
});
afterAll(async () => {
  closeAgent();
  await t.close();
  // The figures docs/reliability.md quotes.
  process.stdout.write(`fuzz-platforms: ${JSON.stringify(counts)}\n`);
});

/** Send one generated request; throw with a readable account of it when the answer or the state is wrong. */
async function check(g: Generated): Promise<void> {
  counts.requests++;
  counts.byPlatform[g.target.owner] = (counts.byPlatform[g.target.owner] ?? 0) + 1;
  counts.byKind[g.kind] = (counts.byKind[g.kind] ?? 0) + 1;
  const res = await sendRaw(t.sb.url, g.request);
  const problem = universalProblem(res) ?? platformProblem(g.target, res);
  if (problem)
    throw new Error(`${problem}\nrequest: ${describeRequest(g)}\nanswer: HTTP ${res.status} ${res.headers['content-type']} ${res.text.slice(0, 500)}`);
  const now = snapshot(t.sb.sandbox);
  if (now !== before)
    throw new Error(`state changed: ${firstDifference(before, now)}\nrequest: ${describeRequest(g)}\nanswer: HTTP ${res.status} ${res.text.slice(0, 300)}`);
}

function fuzz(seed: number, runs: number): Promise<void> {
  const targets = platformTargets(t.sb.sandbox.routes);
  counts.paths = targets.length;
  counts.endpoints = new Set(targets.map((x) => `${x.owner} ${x.method} ${x.name}`)).size;
  const arb = requestArbitrary(targets, fieldBooks(t.sb.clock.now()));
  // No shrinking: every step is a request, and the message already shows the whole request.
  return fc.assert(fc.asyncProperty(arb, check), { seed, numRuns: runs, endOnFailure: true });
}

describe('malformed requests to every endpoint of every platform', () => {
  test(`${RUNS} requests (seed ${SEED}): each answered in the platform's own error shape, state untouched`, async () => {
    await fuzz(SEED, RUNS);
  }, 120_000);

  test('the server keeps serving: every platform completes its flow afterwards', async () => {
    expect((await mantunTokens(t.http)).accessToken).toMatch(/^[0-9a-f]{32}$/);
    expect((await usercenterLogin(t.http)).accessToken).toMatch(/^[0-9a-f-]{36}$/);
    expect((await sopTokens(t.http, t.sb.clock.now())).app_auth_token).toMatch(/^[0-9a-f]{32}$/);
    expect((await zjrcTokens(t.http, () => t.sb.clock.now())).accessToken).toMatch(/^[0-9a-f]{32}$/);
    before = snapshot(t.sb.sandbox);
  });

  test('memory does not grow: two equal phases after the journal is full differ by less than 24 MiB', async () => {
    const heap1 = await settledHeap();
    await fuzz(SEED + 1, RUNS / 2);
    const heap2 = await settledHeap();
    await fuzz(SEED + 2, RUNS / 2);
    const heap3 = await settledHeap();
    process.stdout.write(`fuzz-platforms heap MiB: ${[heap1, heap2, heap3].map((h) => (h / 1048576).toFixed(1)).join(' → ')}\n`);
    expect(heap3 - heap2).toBeLessThan(HEAP_GROWTH_LIMIT);
    expect(t.sb.sandbox.journal.size).toBeLessThanOrEqual(1000);
  }, 120_000);

  test('a concurrent burst of 200 malformed requests: all answered, state untouched', async () => {
    const targets = platformTargets(t.sb.sandbox.routes);
    const burst = fc.sample(requestArbitrary(targets, fieldBooks(t.sb.clock.now())), { seed: SEED + 3, numRuns: 200 });
    await Promise.all(burst.map((g) => check(g)));
  }, 60_000);
});
