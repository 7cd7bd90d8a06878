/**
 * The sandbox's own work per request, next to the bare baseline's, with no socket and no HTTP parser:
 * both get the same request as an in-memory stream and answer into a stub response, in this process.
 * What the throughput table cannot show on a busy machine (the load generator shares the cores, and
 * Node's HTTP and the kernel are half of each answer on either side), this does: CPU µs per request,
 * best of several rounds, so other processes on the machine move it little.
 *
 *   node bench/hotpath.js [case ids, default mantun.router,mantun.token,usercenter.user]
 *   HOTPATH_REQUESTS=20000 HOTPATH_ROUNDS=5 HOTPATH_INFLIGHT=100
 *   HOTPATH_COMPARE=/path/to/another/dist/index.js   also an other build (before a change), its rounds interleaved
 */
import { Readable } from 'node:stream';
import { Sandbox } from '../dist/index.js';
import { loadCases } from './lib/cases.js';
import { seedRecords } from './lib/values.js';
import { baselineHandler } from './baseline/handler.js';

const ids = (process.argv[2] ?? 'mantun.router,mantun.token,usercenter.user').split(',');
const N = Number(process.env.HOTPATH_REQUESTS ?? 20000);
const ROUNDS = Number(process.env.HOTPATH_ROUNDS ?? 5);
const INFLIGHT = Number(process.env.HOTPATH_INFLIGHT ?? 100);
const OTHER = process.env.HOTPATH_COMPARE ? (await import(process.env.HOTPATH_COMPARE)).Sandbox : undefined;

function fakeRequest({ method, path, headers = {}, body = '' }) {
  const req = new Readable({ read() {} });
  const bytes = Buffer.from(body);
  req.method = method;
  req.url = path;
  req.headers = {
    host: '127.0.0.1',
    ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    'content-length': String(bytes.length),
  };
  req.socket = {};
  if (bytes.length) req.push(bytes);
  req.push(null);
  return req;
}

/** What a ServerResponse offers the two servers: writeHead and end, the answer handed to `done`. */
function fakeResponse(done) {
  return {
    headersSent: false,
    destroyed: false,
    socket: null,
    status: 0,
    writeHead(status) {
      this.status = status;
      this.headersSent = true;
      return this;
    },
    end(body) {
      done(this.status, body);
    },
  };
}

/** N requests, INFLIGHT at a time, as the load generator keeps its connections busy; CPU µs per request. */
async function round(handle, kase, from) {
  let next = 0;
  let failed = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((resolve) => {
    let done = 0;
    const one = () => {
      const i = next++;
      if (i >= N) return;
      const r = kase.request(from + i);
      handle(
        fakeRequest(r),
        fakeResponse((status, body) => {
          if (i === 0 && !kase.ok(status, String(body))) failed++;
          if (++done === N) resolve();
          else one();
        }),
      );
    };
    for (let k = 0; k < INFLIGHT; k++) one();
  });
  const used = process.cpuUsage(cpu);
  return { us: (used.user + used.system) / N, wallUs: ((performance.now() - t0) * 1000) / N, failed };
}

const { selected } = await loadCases(['mantun', 'usercenter', 'sop', 'zjrc'], ids);
const pool = N * (ROUNDS + 1) * 3;
process.stdout.write(`hot path, socket-free: ${N} requests × ${ROUNDS} rounds, ${INFLIGHT} in flight, best round (CPU µs per request)\n`);
for (const { mod, kase } of selected) {
  const spec = { case: kase.id, pool: kase.pool ? pool : 0, filler: 0 };
  const { routes, store } = mod.createBaseline(spec);
  const start = async (Server) => {
    const sandbox = await Server.create({ logLevel: 'warn', port: 0, scenario: mod.scenario ? [mod.scenario] : [] });
    await seedRecords(sandbox.world, mod.prefillSandbox(sandbox.world, spec));
    return sandbox;
  };
  const sandbox = await start(Sandbox);
  const other = OTHER ? await start(OTHER) : undefined;
  const sides = { baseline: baselineHandler(routes, store), sandbox: (req, res) => sandbox.serve(req, res) };
  if (other) sides.other = (req, res) => other.serve(req, res);
  const best = { baseline: Infinity, sandbox: Infinity, other: Infinity };
  let from = 0;
  for (let r = 0; r <= ROUNDS; r++) {
    for (const side of Object.keys(sides)) {
      const result = await round(sides[side], kase, from);
      if (result.failed) throw new Error(`${kase.id} ${side}: the answer failed its check`);
      // Round 0 warms the JIT up and is not counted.
      if (r > 0) best[side] = Math.min(best[side], result.us);
      // Single-use values: each side spends its own.
      from += N;
    }
  }
  await sandbox.close();
  await other?.close();
  const us = (side) => `${best[side].toFixed(1).padStart(6)} µs`;
  process.stdout.write(
    `${kase.label.padEnd(40)} baseline ${us('baseline')}  sandbox ${us('sandbox')} (${(best.sandbox / best.baseline).toFixed(2)}×)${other ? `  other build ${us('other')} (${(best.other / best.baseline).toFixed(2)}×)` : ''}\n`,
  );
}
