import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { LoadError } from '../../src/core/validation/load-error.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { healthAnswers, json, raw, stateOf } from '../security/hostile.js';
import { getTokensAt } from '../helpers/mantun.js';

/**
 * Extreme values in every control-plane body, scenario file and fixture file (issue 14): valid
 * documents with one to three values replaced by something huge, negative, fractional, out of a
 * Date's range, of the wrong type, or a `__proto__` key. After every input the sandbox answers
 * /__sandbox/health within 1 s, and its state is what it was (a refusal), or the input was valid
 * and the world is still sound: clock in range, /clock, /export, /scenario, /sessions, /tokens
 * answer 200, a token flow works and exports. Seeded and bounded in time; FUZZ_SEED and
 * FUZZ_EXTREME_RUNS replay or lengthen a run.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 14);
const RUNS = Number(process.env.FUZZ_EXTREME_RUNS ?? 600);
/** Each property stops after this long (the runs done are printed), so a slow machine cannot stall the suite. */
const TIME_LIMIT_MS = Number(process.env.FUZZ_EXTREME_MS ?? 20_000);
// A frozen sandbox never answers; a busy 2-core machine (other Jest workers, Chromium, Redis) can delay a sound
// one by a few hundred milliseconds. How fast it answers is measured (slowestHealthMs), not asserted tightly here.
const HEALTH_MS = 1000;
/** The sandbox's time range, as docs/reliability.md states it. */
const inTimeRange = (ms: number): boolean => Number.isFinite(ms) && ms >= 0 && ms <= Date.UTC(9000, 0, 1);

/** `{"__proto__": {...}}` as JSON text would give it: an own key, not a prototype. */
const protoObject = (): Record<string, unknown> => {
  const o: Record<string, unknown> = {};
  Object.defineProperty(o, '__proto__', { value: { polluted: 'yes', toString: 1 }, enumerable: true, writable: true, configurable: true });
  return o;
};

const EXTREMES: unknown[] = [
  0,
  -0,
  -1,
  0.5,
  -0.5,
  1.0000001,
  1e15,
  9e15,
  8.64e15,
  8.64e15 + 1,
  1e20,
  -1e20,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 31,
  2 ** 32,
  2 ** 64,
  -(2 ** 31),
  '',
  ' ',
  '0',
  '-1',
  '1e400',
  '99999999999999999999d',
  '+99999999999d',
  '-99999999999d',
  '+2600000d',
  '-30000d',
  '1h',
  '-1h',
  '+-5m',
  '10m1ms',
  '0.000001s',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '8999-12-31T23:59:59Z',
  '2026-02-30T00:00:00Z',
  '\r\n',
  'a\r\nX-Injected: 1',
  'Retry After',
  '中文',
  'x'.repeat(5000),
  'NaN',
  'Infinity',
  '__proto__',
  'constructor',
  null,
  true,
  false,
  [],
  [null],
  [1, 2, 3],
  {},
  { constructor: { prototype: { polluted: 'yes' } } },
];

const extreme = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...EXTREMES) },
  { weight: 1, arbitrary: fc.constant('__proto__object').map(protoObject) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** One change: replace the value at the n-th path (modulo their count) with `value`, or add a `__proto__` key beside it. */
const mutation = fc.record({ at: fc.nat(), value: extreme, addProto: fc.boolean() });

type Json = unknown;
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (at.length) out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Record<string, Json>)[k], [...at, k], out);
  return out;
}

/** A copy as JSON text would give it (own `__proto__` keys kept), so no two places share one object. */
const copy = (v: unknown): Json => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

function mutate(template: Json, changes: { at: number; value: unknown; addProto: boolean }[]): Json {
  const doc = copy(template) as Record<string | number, Json>;
  for (const change of changes) {
    const c = { ...change, value: copy(change.value) };
    const all = paths(doc);
    if (all.length === 0) continue;
    const path = all[c.at % all.length];
    let parent = doc as Record<string | number, Json>;
    for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, Json>;
    const key = path[path.length - 1];
    if (c.addProto && parent && typeof parent === 'object' && !Array.isArray(parent)) {
      Object.defineProperty(parent, '__proto__', { value: c.value, enumerable: true, writable: true, configurable: true });
    } else parent[key] = c.value as Json;
  }
  return doc;
}

const mutated = (template: Json) => fc.array(mutation, { minLength: 1, maxLength: 3 }).map((changes) => ({ changes, doc: mutate(template, changes) }));

// Valid documents of every kind, each of its fields a place to put an extreme value.
const RULE = {
  id: 'fz',
  platform: 'mantun',
  endpoint: 'router.as',
  nth: 2,
  every: 3,
  first: 10,
  after: '1s',
  probability: 0.5,
  seed: 's',
  times: 4,
  respond: { status: 503, body: { e: 1 }, contentType: 'application/json', headers: { 'retry-after': '5' }, delay: '1ms' },
  progress: { calls: 3, fired: 1, armedAt: '2026-01-01T00:00:00Z' },
};
const SEEDED = {
  platform: 'mantun',
  kind: 'access',
  value: 'fuzz-access',
  appId: 'O000000049',
  subject: 'u',
  scopes: ['a'],
  issuedAt: '-10m',
  expiresAt: '+1h',
  ttl: 3600,
  usedAt: '2026-01-01T00:00:00Z',
  revokedAt: '-1m',
  revokedReason: 'admin',
  graceUntil: '+5m',
  family: 'f',
  pair: 'fuzz-refresh',
  data: { redirectUri: 'http://you-domain/xxx.jsp' },
};
const SCENARIO = {
  name: 'fuzz',
  description: 'd',
  clock: { start: '2026-06-01T00:00:00Z', skew: '+5m', rate: 2 },
  random: { seed: 'x', draws: 1000 },
  policy: {
    lifetimes: { code: 60, access: 3600, refresh: 86_400 },
    refreshReuse: { withinSeconds: 5 },
    oldAccessAfterRefresh: { graceSeconds: 30 },
    codeSingleUse: true,
  },
  platforms: { mantun: { policy: { lifetimes: { access: 10 } } } },
  faults: [RULE],
  state: {
    tokens: [SEEDED, { ...SEEDED, kind: 'refresh', value: 'fuzz-refresh', pair: 'fuzz-access', expiresIn: 7200, expiresAt: undefined }],
    platformState: {},
  },
};

interface Target {
  name: string;
  method: string;
  path: string;
  template: Json;
}
const CONTROL: Target[] = [
  { name: 'POST /clock', method: 'POST', path: '/__sandbox/clock', template: { advance: '1h', set: '2026-01-01T00:00:00Z', rate: 2, reset: false } },
  { name: 'PUT /scenario', method: 'PUT', path: '/__sandbox/scenario', template: SCENARIO },
  { name: 'PUT /scenario (add)', method: 'PUT', path: '/__sandbox/scenario', template: { scenarios: ['expiry-fast', SCENARIO], add: true } },
  { name: 'POST /faults', method: 'POST', path: '/__sandbox/faults', template: RULE },
  { name: 'POST /sessions', method: 'POST', path: '/__sandbox/sessions', template: { id: 'fz-session', scenario: SCENARIO } },
  { name: 'POST /tokens/<value>/expire', method: 'POST', path: '/__sandbox/tokens/nope/expire', template: { platform: 'mantun', kind: 'access' } },
  {
    name: 'POST /requests/verify',
    method: 'POST',
    path: '/__sandbox/requests/verify',
    template: {
      match: {
        platform: 'sop',
        method: { equals: 'open.auth.token.app' },
        status: 200,
        matched: true,
        since: '2026-01-01T00:00:00Z',
        params: { grant_type: 'refresh_token', app_id: { matches: '^2019' }, code: { absent: true } },
        headers: { 'user-agent': { contains: 'okhttp' }, 'content-type': { present: true } },
      },
      atLeast: 0,
      atMost: 5,
    },
  },
  { name: 'POST /usercenter/validate-code', method: 'POST', path: '/__sandbox/usercenter/validate-code', template: { username: 'test', code: '123456' } },
];

let t: TestSandbox;
let dir: string;
let fixtureFile: string;
const counts = { control: 0, scenarioFiles: 0, fixtureFiles: 0, accepted: 0, refused: 0, slowestHealthMs: 0, secondProbes: 0 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-fuzz-extremes-'));
  fixtureFile = join(dir, 'fixtures.json');
  writeFileSync(fixtureFile, '{}');
  t = await startTestSandbox({ seed: 'fuzz-extremes', fixtures: [fixtureFile] });
  await getTokensAt(t.sb.url);
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`fuzz-extremes: ${JSON.stringify({ ...counts, slowestHealthMs: Math.round(counts.slowestHealthMs * 10) / 10 })}\n`);
});

/**
 * What must hold after every input, accepted or not. Health must answer within 1 s. The sandbox
 * shares this process with the test, so a garbage collection of the test's own heap can delay one
 * probe: a probe that misses is repeated at once, and must then answer within 1 s (a sandbox
 * that an input froze misses both). How often the second probe was needed is printed.
 */
async function healthy(): Promise<void> {
  let ms: number;
  try {
    ms = await healthAnswers(t.sb.url, HEALTH_MS);
  } catch {
    counts.secondProbes++;
    ms = await healthAnswers(t.sb.url, HEALTH_MS);
  }
  counts.slowestHealthMs = Math.max(counts.slowestHealthMs, ms);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}
const PROTO = Object.getOwnPropertyNames(Object.prototype).sort();

/** An input was accepted: the world must still be sound, and it goes back to a plain one for the next input. */
async function soundThenRestore(what: string): Promise<void> {
  counts.accepted++;
  const clock = json(await raw(t.sb.url, { path: '/__sandbox/clock' })) as { epochMs: number };
  if (!inTimeRange(clock.epochMs)) throw new Error(`${what}: the clock left its range: ${JSON.stringify(clock)}`);
  try {
    await getTokensAt(t.sb.url);
  } catch {
    // A fault rule the input armed may refuse the flow: that is what it was asked to do.
  }
  for (const path of [
    '/__sandbox/clock',
    '/__sandbox/export',
    '/__sandbox/scenario',
    '/__sandbox/sessions',
    '/__sandbox/tokens',
    '/__sandbox/faults',
    '/__sandbox/platforms',
  ]) {
    const res = await raw(t.sb.url, { path });
    if (res.status !== 200) throw new Error(`${what}: GET ${path} answered ${res.status} after an accepted input: ${res.text.slice(0, 300)}`);
  }
  for (const [method, path, body] of [
    ['DELETE', '/__sandbox/faults', undefined],
    ['DELETE', '/__sandbox/scenario', undefined],
    ['DELETE', '/__sandbox/sessions', undefined],
    ['POST', '/__sandbox/clock', '{"reset":true}'],
  ] as const) {
    const res = await raw(t.sb.url, { method, path, body, headers: body ? { 'content-type': 'application/json' } : {} });
    if (res.status !== 200) throw new Error(`${what}: restoring with ${method} ${path} answered ${res.status}: ${res.text}`);
  }
}

/**
 * Write a file the sandbox is about to read, as a new file: rewriting one in place on ext4 waits for its old
 * blocks to reach the disk (auto_da_alloc), 2 to 4 ms a write, seconds over a run; the sandbox reads the same text.
 */
function rewrite(file: string, text: string): void {
  rmSync(file, { force: true });
  writeFileSync(file, text);
}

const describeInput = (name: string, doc: unknown) => `${name}: ${JSON.stringify(doc)?.slice(0, 600)}`;

test(
  `control-plane bodies with extreme values (${RUNS} runs, seed ${SEED}): health within ${HEALTH_MS} ms, refusals change nothing, accepted ones leave a sound world`,
  async () => {
    const arb = fc.constantFrom(...CONTROL).chain((target) => mutated(target.template).map(({ doc }) => ({ target, doc })));
    await fc.assert(
      fc.asyncProperty(arb, async ({ target, doc }) => {
        counts.control++;
        const before = await stateOf(t.sb.sandbox);
        const res = await raw(t.sb.url, {
          method: target.method,
          path: target.path,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(doc),
        });
        await healthy();
        if (res.status >= 500 || res.status < 200) throw new Error(`HTTP ${res.status} ${res.text.slice(0, 300)}\n${describeInput(target.name, doc)}`);
        if (res.status >= 400) {
          counts.refused++;
          const body = json(res) as { error?: unknown; message?: unknown };
          if (typeof body.error !== 'string' || typeof body.message !== 'string' || body.message === '')
            throw new Error(`error shape: ${res.text}\n${describeInput(target.name, doc)}`);
          if ((await stateOf(t.sb.sandbox)) !== before)
            throw new Error(`a refused input changed state (HTTP ${res.status} ${res.text.slice(0, 200)})\n${describeInput(target.name, doc)}`);
        } else await soundThenRestore(describeInput(target.name, doc));
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
  },
  TIME_LIMIT_MS + 30_000,
);

test(
  `scenario files with extreme values (seed ${SEED}): a load error naming the file, or a sound world`,
  async () => {
    const file = join(dir, 'scenario.json');
    await fc.assert(
      fc.asyncProperty(mutated(SCENARIO), async ({ doc }) => {
        counts.scenarioFiles++;
        rewrite(file, JSON.stringify(doc));
        const before = await stateOf(t.sb.sandbox);
        let loaded = true;
        try {
          await t.sb.scenario.use(file);
        } catch (e) {
          if (!(e instanceof LoadError)) throw new Error(`not a load error: ${(e as Error).stack}\n${describeInput('scenario file', doc)}`);
          if (!e.issues.every((i) => i.file === file)) throw new Error(`an issue names another file: ${e.message}`);
          loaded = false;
        }
        await healthy();
        if (!loaded) {
          counts.refused++;
          if ((await stateOf(t.sb.sandbox)) !== before) throw new Error(`a refused scenario file changed state\n${describeInput('scenario file', doc)}`);
        } else await soundThenRestore(describeInput('scenario file', doc));
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
  },
  TIME_LIMIT_MS + 30_000,
);

test(
  `fixture files with extreme values (seed ${SEED}): a load error naming the file and nothing changed, or a sound world`,
  async () => {
    const builtin = ['mantun', 'usercenter', 'sop', 'zjrc'].map((id) => {
      const { $schema: _s, ...sections } = JSON.parse(readFileSync(new URL(`../../fixtures/${id}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
      return sections;
    });
    const fixturesNow = () => JSON.stringify(t.sb.sandbox.world.fixtures);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...builtin).chain(mutated), async ({ doc }) => {
        counts.fixtureFiles++;
        rewrite(fixtureFile, JSON.stringify(doc));
        const before = (await stateOf(t.sb.sandbox)) + fixturesNow();
        let loaded = true;
        try {
          t.sb.reload();
        } catch (e) {
          if (!(e instanceof LoadError)) throw new Error(`not a load error: ${(e as Error).stack}\n${describeInput('fixture file', doc)}`);
          if (!e.issues.every((i) => i.file === fixtureFile)) throw new Error(`an issue names another file: ${e.message}`);
          loaded = false;
        }
        await healthy();
        if (!loaded) {
          counts.refused++;
          if ((await stateOf(t.sb.sandbox)) + fixturesNow() !== before)
            throw new Error(`a refused fixture file changed state\n${describeInput('fixture file', doc)}`);
          return;
        }
        await soundThenRestore(describeInput('fixture file', doc));
        rewrite(fixtureFile, '{}');
        t.sb.reload();
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 3), endOnFailure: true, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
  },
  TIME_LIMIT_MS + 30_000,
);
