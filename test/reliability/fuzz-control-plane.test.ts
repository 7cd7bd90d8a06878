import fc from 'fast-check';
import type { Express } from 'express';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { closeAgent, json, sendRaw, STACK_TRACE, type WireResponse } from './fuzz-http.js';
import { encodeComponent, nastyString } from './fuzz-inputs.js';
import { describe as describeRequest, requestArbitrary, type FieldBook, type Generated, type Target } from './fuzz-requests.js';
import { seedState } from './fuzz-state.js';

const SEED = Number(process.env.FUZZ_SEED ?? 9);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
}

/** Every route of the control plane, read from the Express router itself (new routes are fuzzed without editing this file). */
export function controlPlaneRoutes(app: Express): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      const mount = Array.isArray(layer.rawPath) ? layer.rawPath[0] : layer.rawPath;
      if (layer.route) for (const m of Object.keys(layer.route.methods)) out.push({ method: m.toUpperCase(), path: `${prefix}${layer.route.path}` });
      else if (layer.handle?.stack && typeof mount === 'string') walk(layer.handle.stack, `${prefix}${mount}`);
    }
  };
  const top = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const admin = top.find((l) => Array.isArray(l.rawPath) && l.rawPath.includes('/__sandbox'));
  if (!admin?.handle.stack) throw new Error('control-plane router not found in the app');
  walk(admin.handle.stack, '/__sandbox');
  return out;
}

/** The fields the control plane reads, all given bad values (a valid one by chance is fine: see the state rule below). */
const BOOK: FieldBook = {
  fields: Object.fromEntries(
    [
      'advance',
      'set',
      'rate',
      'reset',
      'name',
      'scenarios',
      'scenario',
      'add',
      'id',
      'username',
      'code',
      'endpoint',
      'nth',
      'respond',
      'status',
      'platform',
      'method',
      'policy',
      'faults',
      'clock',
      'state',
      'tokens',
      '$schema',
      'limit',
      'kind',
      'session',
      'since',
      'action',
    ].map((k) => [k, [] as string[]]),
  ),
  secrets: [],
};

let t: TestSandbox;
let targets: Target[];
const counts = { requests: 0, routes: 0 };

beforeAll(async () => {
  t = await startTestSandbox({ seed: 'fuzz-control' });
  await seedState(t);
  targets = [];
  for (const r of controlPlaneRoutes((await t.sb.sandbox.controlApp()) as unknown as Express)) {
    // Route parameters get a fuzzed value of their own, percent-encoded as a client would.
    const paths = r.path.includes(':')
      ? fc
          .sample(
            nastyString.filter((s) => s.length > 0 && s.length < 200),
            { seed: SEED, numRuns: 4 },
          )
          .map((v) => r.path.replace(/:[A-Za-z]+/g, encodeComponent(v)))
      : [r.path];
    for (const path of paths) targets.push({ owner: 'control', name: `${r.method} ${r.path}`, method: r.method, path });
  }
  counts.routes = new Set(targets.map((x) => x.name)).size;
});
afterAll(async () => {
  closeAgent();
  await t.close();
  process.stdout.write(`fuzz-control-plane: ${JSON.stringify(counts)}\n`);
});

/** What a control-plane call may change: tokens, clock, scenarios, sessions, platform state. */
function state(): string {
  const sb = t.sb.sandbox;
  const w = sb.world;
  return JSON.stringify({
    records: [...w.store.all()].map((r) => JSON.stringify(r)).sort(),
    clock: { rate: w.clock.rate, offsetSeconds: Math.round(w.clock.offsetMs() / 1000) },
    scenario: w.scenarios.view(),
    sessions: sb.sessions.known().map((s) => s.id),
    states: sb.platforms.map((p) => w.stateSnapshot[p.id]),
    proto: Object.getOwnPropertyNames(Object.prototype).sort(),
    polluted: ({} as Record<string, unknown>).polluted,
  });
}

/** Answers of the control plane: JSON `{"error","message"}` for every refusal; the dashboard page, its redirect and the event stream aside. */
function problem(g: Generated, res: WireResponse): string | undefined {
  if (res.status >= 500 || res.status < 200) return `HTTP ${res.status}`;
  if (STACK_TRACE.test(res.text)) return 'stack trace in the body';
  const route = g.target.name;
  if (route === 'GET /__sandbox/' && res.status < 400) return [200, 301].includes(res.status) ? undefined : `dashboard HTTP ${res.status}`;
  if (route === 'GET /__sandbox/events' && res.status === 200)
    return String(res.headers['content-type']).startsWith('text/event-stream') ? undefined : 'events content-type';
  if (res.status === 204) return res.text === '' ? undefined : '204 with a body';
  const body = json(res);
  if (!body || !String(res.headers['content-type']).startsWith('application/json')) return `not JSON: ${res.headers['content-type']}`;
  if (res.status >= 400) {
    if (typeof body.error !== 'string' || typeof body.message !== 'string' || body.message === '') return 'error shape';
    // 417: a verification that did not hold (its answer is the report), the one route that answers it.
    const verified = route === 'POST /__sandbox/requests/verify' && res.status === 417 && body.error === 'verification_failed';
    if (![400, 401, 404, 405, 409, 413, 415].includes(res.status) && !verified) return `unexpected HTTP ${res.status}`;
  }
  return undefined;
}

async function check(g: Generated): Promise<void> {
  counts.requests++;
  const before = state();
  const res = await sendRaw(t.sb.url, g.request);
  const wrong = problem(g, res);
  if (wrong) throw new Error(`${wrong}\nrequest: ${describeRequest(g)}\nanswer: HTTP ${res.status} ${res.headers['content-type']} ${res.text.slice(0, 500)}`);
  // A refusal changes nothing; an accepted call (e.g. DELETE /requests, which needs no body) may.
  if (res.status >= 400 && state() !== before)
    throw new Error(`a refused call changed state\nrequest: ${describeRequest(g)}\nanswer: HTTP ${res.status} ${res.text.slice(0, 300)}`);
}

describe('malformed requests to every control-plane route', () => {
  test(`${RUNS} requests (seed ${SEED}): JSON errors with a message, never a 500 or a hang; refusals change nothing`, async () => {
    expect(targets.length).toBeGreaterThan(20);
    const arb = requestArbitrary(targets, { control: BOOK }).map((g) => {
      // Some requests name a session, existing or not, by header.
      const id = g.request.path.length % 5 === 0 ? (g.request.path.length % 2 ? 'no-such-session' : '../../etc') : undefined;
      if (id) g.request.headers['x-sandbox-session'] = id;
      return g;
    });
    await fc.assert(fc.asyncProperty(arb, check), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  }, 120_000);

  test('the control plane and the platforms still answer afterwards', async () => {
    expect((await t.http.get('/__sandbox/health')).status).toBe(200);
    const clock = await t.http.post('/__sandbox/clock').send({ reset: true });
    expect(clock.status).toBe(200);
    expect((await t.http.post('/__sandbox/reset')).body).toEqual({ status: 'reset', tokens: 0 });
    await seedState(t);
    expect(t.sb.sandbox.world.store.size).toBeGreaterThan(0);
  });
});
