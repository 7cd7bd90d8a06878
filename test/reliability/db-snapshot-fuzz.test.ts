import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Sandbox } from '../../src/sandbox.js';
import request from 'supertest';
import { getTokensAt } from '../helpers/mantun.js';
import { getTokens as zjrcTokens } from '../helpers/zjrc.js';
import { healthAnswers, raw } from '../security/hostile.js';

/**
 * --db snapshot files with every field changed to something extreme, of the wrong type, or beside a
 * `__proto__` key (issue 24 Low 8 and the audit's adversarial snapshots). Each platform's data is checked by
 * the platform's own schema: `{"zjrc":{"currentRefresh":1}}` used to load silently and answer 500 on every
 * ZJRC call from then on. A file is refused (naming the file and the field, nothing written, no lock left),
 * or it starts a sandbox whose every platform answers and whose clock is in range. Seeded: FUZZ_SEED and
 * FUZZ_SNAPSHOT_RUNS replay or lengthen a run.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 8);
const RUNS = Number(process.env.FUZZ_SNAPSHOT_RUNS ?? 150);
const TIME_LIMIT_MS = Number(process.env.FUZZ_SNAPSHOT_MS ?? 25_000);
const START = Date.parse('2026-03-01T00:00:00Z');
const AFTER = 'Nothing was changed and nothing was written.';

const MAC = '187ED5310A2C';
const SNAPSHOT = {
  format: 'oauth-sandbox-state',
  version: 1,
  savedAt: START,
  generation: 3,
  clock: { offsetMs: 0, rate: 1 },
  tokens: [
    {
      value: 'fuzz-access',
      platform: 'mantun',
      kind: 'access',
      appId: 'O000000049',
      subject: 'u',
      scopes: ['a'],
      issuedAt: START,
      expiresAt: START + 3_600_000,
      ttl: 3600,
      usedAt: START,
      revokedAt: START,
      revokedReason: 'admin',
      graceUntil: START,
      family: 'f',
      pair: 'fuzz-refresh',
      replacedBy: 'x',
      data: { redirectUri: 'http://you-domain/xxx.jsp' },
    },
  ],
  platformState: {
    mantun: { channels: { [MAC]: { '1': { oc: true, updateTime: '2026-03-01 08:00:00' } } }, switches: { [MAC]: { '1': [[START, true]] } } },
    usercenter: { nextValidateCodes: { '5f0c6a8e-2b1d-4c3e-9a7f-1d2e3f4a5b6c': '654321' } },
    sop: {},
    zjrc: { currentRefresh: { 'ZJRC0000000001 0123456789abcdef0123456789abcdef': '0123456789abcdef0123456789abcdef' } },
  },
};

const protoObject = (): Record<string, unknown> => {
  const o: Record<string, unknown> = {};
  Object.defineProperty(o, '__proto__', { value: { polluted: 'yes' }, enumerable: true, writable: true, configurable: true });
  return o;
};
const EXTREMES: unknown[] = [
  0,
  -1,
  0.5,
  1e20,
  -1e20,
  1e308,
  Number.MAX_SAFE_INTEGER,
  2 ** 64,
  '',
  '中文',
  'x'.repeat(5000),
  '__proto__',
  null,
  true,
  [],
  [null],
  [1, 'a'],
  {},
  { constructor: { prototype: { polluted: 'yes' } } },
];
const extreme = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...EXTREMES) },
  { weight: 1, arbitrary: fc.constant(0).map(protoObject) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

type Json = unknown;
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (at.length) out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Record<string, Json>)[k], [...at, k], out);
  return out;
}
const copy = (v: unknown): Json => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
const ALL_PATHS = paths(SNAPSHOT);
/** The platform-state paths get extra weight: they are what this file adds. */
const STATE_PATHS = ALL_PATHS.filter((p) => p[0] === 'platformState');

function mutate(changes: { path: (string | number)[]; value: unknown; addProto: boolean }[]): Json {
  const doc = copy(SNAPSHOT) as Record<string | number, Json>;
  for (const c of changes) {
    let parent = doc as Record<string | number, Json>;
    for (const p of c.path.slice(0, -1)) {
      const next = parent?.[p];
      if (next === null || typeof next !== 'object') return doc;
      parent = next as Record<string | number, Json>;
    }
    const value = copy(c.value);
    if (c.addProto && !Array.isArray(parent)) Object.defineProperty(parent, '__proto__', { value, enumerable: true, writable: true, configurable: true });
    else parent[c.path[c.path.length - 1]!] = value as Json;
  }
  return doc;
}
const change = fc.record({ path: fc.oneof(fc.constantFrom(...ALL_PATHS), fc.constantFrom(...STATE_PATHS)), value: extreme, addProto: fc.boolean() });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-db-snapshot-fuzz-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const counts = { runs: 0, refused: 0, started: 0 };
afterAll(() => process.stdout.write(`db-snapshot-fuzz: ${JSON.stringify(counts)}\n`));

let n = 0;
const write = (doc: unknown): { db: string; text: string } => {
  const db = join(dir, `snap-${++n}.json`);
  const text = JSON.stringify(doc);
  writeFileSync(db, text);
  return { db, text };
};

test('platformState {"zjrc":{"currentRefresh":1}} is refused at start, naming the file and the field (it loaded, then every ZJRC call answered 500)', async () => {
  const { db, text } = write({ ...SNAPSHOT, tokens: [], platformState: { zjrc: { currentRefresh: 1 } } });
  await expect(Sandbox.create({ port: 0, db, logLevel: 'silent' })).rejects.toThrow(
    `cannot use the --db files: ${db}: platformState.zjrc.currentRefresh: expected record, got 1. ${AFTER}`,
  );
  expect(readFileSync(db, 'utf8')).toBe(text);
  expect(existsSync(`${db}.lock`)).toBe(false);
});

test('each platform checks its own data: a wrong type in Mantun, UserCenter or SOP state names that platform and field', async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ mantun: { channels: { [MAC]: { '1': { oc: 'yes', updateTime: 'x' } } } } }, `platformState.mantun.channels.${MAC}.1.oc: expected boolean, got "yes"`],
    [
      { mantun: { channels: {}, switches: { [MAC]: { '1': [[-5, true]] } } } },
      `platformState.mantun.switches.${MAC}.1[0][0]: Too small: expected number to be >=0 (got -5)`,
    ],
    [{ usercenter: { nextValidateCodes: [] } }, 'platformState.usercenter.nextValidateCodes: expected record, got []'],
    [{ sop: { extra: 1 } }, 'platformState.sop: unknown field "extra"'],
  ];
  for (const [platformState, problem] of cases) {
    const { db, text } = write({ ...SNAPSHOT, tokens: [], platformState });
    await expect(Sandbox.create({ port: 0, db, logLevel: 'silent' })).rejects.toThrow(`cannot use the --db files: ${db}: ${problem}. ${AFTER}`);
    expect(readFileSync(db, 'utf8')).toBe(text);
  }
});

test('--db-repair starts the platform from its initial data instead, and ZJRC answers', async () => {
  const { db } = write({ ...SNAPSHOT, tokens: [], platformState: { zjrc: { currentRefresh: 1 }, usercenter: SNAPSHOT.platformState.usercenter } });
  const sb = await Sandbox.create({ port: 0, db, dbRepair: true, logLevel: 'silent' });
  try {
    await sb.listen();
    expect(await sb.world.allState()).toMatchObject({ zjrc: { currentRefresh: {} }, usercenter: SNAPSHOT.platformState.usercenter });
    const tokens = await zjrcTokens(request(sb.url), () => sb.world.clock.now());
    expect(tokens.accessToken).toMatch(/^[0-9a-f]{32}$/);
  } finally {
    await sb.close();
  }
  // Written back sound: the next start needs no repair.
  const again = await Sandbox.create({ port: 0, db, logLevel: 'silent' });
  await again.close();
});

test(
  `snapshot files with extreme values (${RUNS} runs, seed ${SEED}): refused naming the file, or a sandbox whose platforms answer`,
  async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 3 }), async (changes) => {
        counts.runs++;
        const doc = mutate(changes);
        const { db, text } = write(doc);
        let sb: Sandbox | undefined;
        try {
          sb = await Sandbox.create({ port: 0, db, logLevel: 'silent' });
        } catch (e) {
          counts.refused++;
          const message = (e as Error).message;
          if (!message.startsWith(`cannot use the --db files: ${db}`))
            throw new Error(`not a refusal naming the file: ${(e as Error).stack}\n${text.slice(0, 600)}`);
          if (readFileSync(db, 'utf8') !== text) throw new Error(`a refused file was changed\n${text.slice(0, 600)}`);
          if (existsSync(`${db}.lock`)) throw new Error(`a refused start left its lock\n${text.slice(0, 600)}`);
          return;
        }
        counts.started++;
        try {
          await sb.listen();
          const url = sb.url;
          await healthAnswers(url);
          const clock = (await (await fetch(`${url}/__sandbox/clock`)).json()) as { epochMs: number };
          if (!(clock.epochMs >= 0 && clock.epochMs <= Date.UTC(9000, 0, 1))) throw new Error(`clock out of range: ${JSON.stringify(clock)}`);
          for (const path of ['/__sandbox/export', '/__sandbox/tokens', '/__sandbox/platforms']) {
            const res = await raw(url, { path });
            if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text.slice(0, 300)}\n${text.slice(0, 600)}`);
          }
          await getTokensAt(url);
          // ZJRC's code exchange writes its state (what the audit's snapshot broke): it must answer with tokens.
          const zjrc = await zjrcTokens(request(url), () => sb!.world.clock.now());
          if (typeof zjrc.accessToken !== 'string') throw new Error(`ZJRC answered no token: ${JSON.stringify(zjrc)}\n${text.slice(0, 600)}`);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        } finally {
          await sb.close();
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
  },
  TIME_LIMIT_MS + 30_000,
);
