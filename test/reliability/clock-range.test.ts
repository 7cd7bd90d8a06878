import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../../src/sandbox.js';
import { getTokens, getTokensAt } from '../helpers/mantun.js';
import { eventually, spawnSandbox } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { login as usercenterLogin } from '../helpers/usercenter.js';
import { healthAnswers, json, raw, stateOf } from '../security/hostile.js';

/**
 * Review finding M3: every entry point to the clock and to dates. Sandbox time, and every expiry
 * derived from it, stays a date that Date, ISO-8601 and the platforms' layouts hold
 * (1970-01-01 .. 9000-01-01, lifetimes at most 100 years). Out of range is a 400 (or a load error
 * naming file and path) that changes nothing; a request that fails leaves nothing behind; a broken
 * clock is never written to --db.
 */

const RANGE = 'between 1970-01-01T00:00:00.000Z and 9000-01-01T00:00:00.000Z';
const START = Date.parse('2026-03-01T00:00:00Z');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-clock-range-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
  // Frozen at a known instant, so "unchanged" is exact.
  await t.http.post('/__sandbox/clock').send({ set: START, rate: 0 }).expect(200);
  await getTokens(t.http);
});
afterEach(() => t.close());

/** After a refusal: health answers, /clock, /export and /sessions answer 200, and nothing changed. */
async function unchanged(before: string): Promise<void> {
  await healthAnswers(t.sb.url);
  for (const path of ['/__sandbox/clock', '/__sandbox/export', '/__sandbox/sessions', '/__sandbox/scenario', '/__sandbox/tokens'])
    expect({ path, status: (await t.http.get(path)).status }).toEqual({ path, status: 200 });
  expect(await stateOf(t.sb.sandbox)).toBe(before);
  expect(t.sb.clock.now()).toBe(START);
}

describe('POST /__sandbox/clock', () => {
  test.each([
    [{ rate: 1e15 }, '"rate" must be at most 1000000 (a million sandbox seconds per host second), got 1000000000000000.'],
    [{ rate: 1e308 }, '"rate" must be at most 1000000 (a million sandbox seconds per host second), got 1e+308.'],
    [{ set: 1e20 }, `"set" must be a time ${RANGE}, got 100000000000000000000 (100000000000000000000 ms from 1970 (beyond what a date can hold)).`],
    [{ set: -1e20 }, `"set" must be a time ${RANGE}, got -100000000000000000000 (-100000000000000000000 ms from 1970 (beyond what a date can hold)).`],
    [{ set: -1 }, `"set" must be a time ${RANGE}, got -1 (1969-12-31T23:59:59.999Z).`],
    [{ set: '+275760-09-13T00:00:00.000Z' }, `"set" must be a time ${RANGE}, got "+275760-09-13T00:00:00.000Z".`],
    [
      { advance: '99999999999999999d' },
      `"advance" must move the clock by at most 2567655 days either way (the sandbox's whole time range, ${RANGE}), got "99999999999999999d".`,
    ],
    [
      { advance: 18446744073709551616 },
      `"advance" must move the clock by at most 2567655 days either way (the sandbox's whole time range, ${RANGE}), got 18446744073709552000.`,
    ],
    [
      { advance: -1e20 },
      `"advance" must move the clock by at most 2567655 days either way (the sandbox's whole time range, ${RANGE}), got -100000000000000000000.`,
    ],
    [{ set: 8.64e15, advance: '1ms' }, `"set" must be a time ${RANGE}, got 8640000000000000 (+275760-09-13T00:00:00.000Z).`],
    [
      { advance: '-30000d' },
      `"advance" would move the sandbox clock to ${new Date(START - 30000 * 86_400_000).toISOString()}; it stays ${RANGE}. Nothing changed.`,
    ],
    [{ set: Date.UTC(8999, 11, 31), advance: '2d' }, `"advance" would move the sandbox clock to 9000-01-02T00:00:00.000Z; it stays ${RANGE}. Nothing changed.`],
  ])('%j → 400 with what is wrong; the clock stays', async (body, message) => {
    const before = await stateOf(t.sb.sandbox);
    const res = await t.http.post('/__sandbox/clock').send(body);
    expect([res.status, res.body]).toEqual([400, { error: 'invalid_request', message }]);
    await unchanged(before);
  });

  test('the in-process clock refuses the same, with the same message', () => {
    expect(() => t.sb.clock.set(1e20)).toThrow(`"set" must be a time ${RANGE}`);
    expect(() => t.sb.clock.advance(2 ** 64)).toThrow('"advance" must move the clock by at most 2567655 days');
    expect(() => t.sb.clock.setRate(1e15)).toThrow('"rate" must be at most 1000000');
    expect(t.sb.clock.now()).toBe(START);
  });

  test('a clock running at the fastest rate stops at the end of the range, and everything keeps answering', async () => {
    const end = Date.UTC(9000, 0, 1);
    await t.http
      .post('/__sandbox/clock')
      .send({ set: end - 1000, rate: 1_000_000 })
      .expect(200);
    // A millisecond of host time takes it the last 1000 s; the clock may be read within that millisecond.
    const at = await eventually('the clock to reach the end of its range', async () => {
      const r = await t.http.get('/__sandbox/clock');
      expect(r.body.epochMs).toBeLessThanOrEqual(end);
      return r.body.epochMs === end ? r : undefined;
    });
    expect(at.body.epochMs).toBe(end);
    expect(at.body.now).toBe('9000-01-01T00:00:00.000Z');
    // Tokens issued at the very end still expire in a year the platforms print.
    const tokens = await getTokens(t.http);
    const listed = await t.http.get('/__sandbox/tokens?platform=mantun&kind=refresh&order=newest&limit=1');
    expect(listed.body.tokens[0].value).toBe(tokens.refreshToken);
    expect((await t.http.get('/__sandbox/export')).status).toBe(200);
    expect((await t.http.get('/__sandbox/sessions')).status).toBe(200);
  });
});

describe('scenarios: clock, seeded tokens, fault progress, lifetimes', () => {
  const token = { platform: 'mantun', kind: 'access', value: 'seeded-token', appId: 'O000000049', subject: 'u' };
  test.each([
    [{ clock: { start: 9e15 } }, 'clock.start', `expected a time ${RANGE} as whole epoch milliseconds, got 9000000000000000`],
    [{ clock: { start: '9999-01-01T00:00:00Z' } }, 'clock.start', `expected a time ${RANGE}, got "9999-01-01T00:00:00Z"`],
    [{ clock: { skew: 1e17 } }, 'clock.skew', `expected a duration of at most 2567655 days (the sandbox's time range, ${RANGE}) (got 100000000000000000)`],
    [
      { clock: { skew: '99999999999999d' } },
      'clock.skew',
      `expected a duration of at most 2567655 days (the sandbox's time range, ${RANGE}) (got "99999999999999d")`,
    ],
    [{ clock: { rate: 1e7 } }, 'clock.rate', 'Too big: expected number to be <=1000000 (got 10000000)'],
    [
      { state: { tokens: [{ ...token, issuedAt: 9e15 }] } },
      'state.tokens[0].issuedAt',
      `expected a time ${RANGE} as whole epoch milliseconds, got 9000000000000000`,
    ],
    [
      { state: { tokens: [{ ...token, revokedAt: 9e15 }] } },
      'state.tokens[0].revokedAt',
      `expected a time ${RANGE} as whole epoch milliseconds, got 9000000000000000`,
    ],
    [{ state: { tokens: [{ ...token, graceUntil: -5 }] } }, 'state.tokens[0].graceUntil', `expected a time ${RANGE} as whole epoch milliseconds, got -5`],
    [
      { state: { tokens: [{ ...token, issuedAt: '+99999999999d' }] } },
      'state.tokens[0].issuedAt',
      `expected a duration of at most 2567655 days (the sandbox's time range, ${RANGE}), got "+99999999999d"`,
    ],
    [
      { state: { tokens: [{ ...token, expiresIn: 9e15 }] } },
      'state.tokens[0].expiresIn',
      'expected a lifetime of at most 3153600000 seconds (100 years) (got 9000000000000000)',
    ],
    [
      { faults: [{ platform: 'mantun', progress: { calls: 0, fired: 0, armedAt: 9e15 }, respond: { status: 503 } }] },
      'faults[0].progress.armedAt',
      `expected a time ${RANGE} as whole epoch milliseconds, got 9000000000000000`,
    ],
    [{ policy: { lifetimes: { access: 9e15 } } }, 'policy.lifetimes.access', 'expected at most 3153600000 seconds (100 years) (got 9000000000000000)'],
    [
      { platforms: { mantun: { policy: { oldAccessAfterRefresh: { graceSeconds: 1e12 } } } } },
      'platforms.mantun.policy.oldAccessAfterRefresh.graceSeconds',
      'expected at most 3153600000 seconds (100 years) (got 1000000000000)',
    ],
  ])('PUT /scenario %j → 400 naming %s; nothing changes', async (scenario, path, message) => {
    const before = await stateOf(t.sb.sandbox);
    const res = await t.http.put('/__sandbox/scenario').send(scenario);
    expect([res.status, res.body.error, res.body.issues]).toEqual([400, 'invalid_scenario', [{ file: 'request body', path, message }]]);
    await unchanged(before);
  });

  test('a relative instant that lands out of range when the scenario is activated is refused whole, before anything changes', async () => {
    await t.http.put('/__sandbox/scenario').send({ name: 'rotation-strict' }).expect(200);
    const before = await stateOf(t.sb.sandbox);
    // Valid as a duration (at most the range wide), but 30 000 days before 2026 is before 1970.
    const res = await t.http.put('/__sandbox/scenario').send({ clock: { skew: '-1d' }, state: { tokens: [{ ...token, issuedAt: '-30000d' }] } });
    expect([res.status, res.body.issues]).toEqual([
      400,
      [
        {
          file: 'request body',
          path: 'state.tokens[0].issuedAt',
          message: expect.stringMatching(new RegExp(`^19\\d\\d-\\d\\d-\\d\\dT.*Z is outside the sandbox's time range, ${RANGE}; nothing was changed$`)),
        },
      ],
    ]);
    await unchanged(before);
  });

  test('POST /sessions with an out-of-range scenario answers 400 and leaves no session behind', async () => {
    const res = await t.http.post('/__sandbox/sessions').send({ id: 'leak1', scenario: { clock: { start: 9000000000000000 } } });
    expect([res.status, res.body.error, res.body.issues]).toEqual([
      400,
      'invalid_scenario',
      [{ file: 'request body', path: 'clock.start', message: `expected a time ${RANGE} as whole epoch milliseconds, got 9000000000000000` }],
    ]);
    const list = await t.http.get('/__sandbox/sessions');
    expect([list.status, list.body]).toEqual([200, { count: 0, sessions: [] }]);
    expect((await t.http.get('/s/leak1/__sandbox/clock')).status).toBe(404);
  });

  test('the longest lifetimes are accepted, and what they derive exports', async () => {
    await t.http
      .put('/__sandbox/scenario')
      .send({ clock: { start: '8999-12-31T00:00:00Z' }, policy: { lifetimes: { access: 3_153_600_000, refresh: 3_153_600_000 } } })
      .expect(200);
    const { refreshToken } = await getTokens(t.http);
    const refresh = (await t.http.get('/__sandbox/tokens?platform=mantun&kind=refresh&order=newest&limit=1')).body.tokens[0];
    expect([refresh.value, refresh.expiresAt - refresh.issuedAt]).toEqual([refreshToken, 3_153_600_000_000]);
    const exp = await t.http.get('/__sandbox/export');
    expect(exp.status).toBe(200);
    expect(JSON.parse(exp.text).state.tokens.find((tk: { value: string }) => tk.value === refreshToken).expiresAt).toMatch(/^909\d-/);
  });
});

describe('fixtures', () => {
  test('a fixture lifetime out of range is refused at load, naming the file and the path', async () => {
    const file = join(dir, 'long-lived.json');
    writeFileSync(file, JSON.stringify({ mantun: { policy: { lifetimes: { access: 9e15 } } } }));
    await expect(Sandbox.create({ port: 0, fixtures: [file] })).rejects.toThrow(
      `${file}: mantun.policy.lifetimes.access: expected at most 3153600000 seconds (100 years) (got 9000000000000000)`,
    );
  });

  test("a platform's derived lifetime (UserCenter refresh = refreshFactor x access) is held to 100 years", async () => {
    const file = join(dir, 'factor.json');
    writeFileSync(file, JSON.stringify({ usercenter: { refreshFactor: 1e300 } }));
    const big = await startTestSandbox({ fixtures: [file] });
    try {
      await usercenterLogin(big.http);
      const refresh = (await big.http.get('/__sandbox/tokens?platform=usercenter&kind=refresh')).body.tokens[0];
      expect(refresh.expiresAt - refresh.issuedAt).toBe(3_153_600_000 * 1000);
      expect((await big.http.get('/__sandbox/export')).status).toBe(200);
    } finally {
      await big.close();
    }
  });
});

describe('--db', () => {
  test('a refused clock move is not written; after a restart the clock is where it was', async () => {
    const db = join(dir, 'clock.json');
    const a = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
    await fetch(`${a.url}/__sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ set: START, rate: 0 }) });
    const res = await raw(a.url, {
      method: 'POST',
      path: '/__sandbox/clock',
      headers: { 'content-type': 'application/json' },
      body: '{"advance":18446744073709551616}',
    });
    expect(res.status).toBe(400);
    expect(await a.stop()).toBe(0);
    expect(JSON.parse(readFileSync(db, 'utf8')).clock.rate).toBe(0);
    const b = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
    try {
      // The offset from host time is what --db keeps: a frozen clock comes back frozen, moved by the seconds the sandbox was down.
      const clock = json(await raw(b.url, { path: '/__sandbox/clock' })) as { epochMs: number; rate: number };
      expect(clock.rate).toBe(0);
      expect(clock.epochMs).toBeGreaterThanOrEqual(START);
      expect(clock.epochMs).toBeLessThan(START + 60_000);
      expect((await raw(b.url, { path: '/__sandbox/export' })).status).toBe(200);
    } finally {
      expect(await b.stop()).toBe(0);
    }
  });

  test('a clock saved at the end of the range (issue 24 Low 7): the next start takes its own clean --db, the clock standing at the end', async () => {
    const db = join(dir, 'end.json');
    const a = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
    const post = (body: unknown) =>
      fetch(`${a.url}/__sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ set: '8999-12-31T23:59:59Z', rate: 1_000_000 })).status).toBe(200);
    // One host second at this rate is 11 sandbox days: the clock reaches the end and stops there.
    await eventually('the clock at the end of its range', async () => {
      const c = (await (await fetch(`${a.url}/__sandbox/clock`)).json()) as { epochMs: number };
      return c.epochMs === Date.UTC(9000, 0, 1) || undefined;
    });
    await getTokensAt(a.url);
    expect(await a.stop()).toBe(0);
    const saved = readFileSync(db, 'utf8');
    expect(JSON.parse(saved).clock.rate).toBe(1_000_000);
    // Host time goes on while the sandbox is stopped; the kept offset then points past the end. Waited for as
    // that, not as a fixed second: a millisecond of host time is enough, and a sleep only stood for it.
    const { offsetMs } = (JSON.parse(saved) as { clock: { offsetMs: number } }).clock;
    await eventually('host time past the saved end of the range', () => Date.now() + offsetMs > Date.UTC(9000, 0, 1) || undefined);
    const b = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
    try {
      const clock = json(await raw(b.url, { path: '/__sandbox/clock' })) as { epochMs: number; now: string; rate: number };
      expect([clock.now, clock.rate]).toEqual(['9000-01-01T00:00:00.000Z', 1_000_000]);
      expect(b.output()).toContain(
        `${db}: the saved clock ran past 9000-01-01T00:00:00.000Z while the sandbox was stopped (it is kept as an offset from host time); it stands at the end of the range.`,
      );
      expect((await raw(b.url, { path: '/__sandbox/export' })).status).toBe(200);
      // Moving it back into the range works as on any clock.
      const back = await fetch(`${b.url}/__sandbox/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ set: START, rate: 0 }),
      });
      expect(back.status).toBe(200);
    } finally {
      expect(await b.stop()).toBe(0);
    }
    // And the file it wrote on stop starts a third time, its clock where it was left.
    const c = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
    try {
      const clock = json(await raw(c.url, { path: '/__sandbox/clock' })) as { epochMs: number };
      expect(clock.epochMs).toBeGreaterThanOrEqual(START);
      expect(clock.epochMs).toBeLessThan(START + 60_000);
    } finally {
      expect(await c.stop()).toBe(0);
    }
  }, 60_000);

  test('a saved offset that no host time could have put in range is still refused: beyond the whole range, or before 1970', async () => {
    for (const offsetMs of [Date.UTC(9000, 0, 1) + 1, -Date.now() - 86_400_000]) {
      const db = join(dir, `offset-${offsetMs}.json`);
      const text = JSON.stringify({
        format: 'oauth-sandbox-state',
        version: 1,
        savedAt: 0,
        generation: 1,
        clock: { offsetMs, rate: 1 },
        tokens: [],
        platformState: {},
      });
      writeFileSync(db, text);
      await expect(Sandbox.create({ port: 0, db })).rejects.toThrow(
        new RegExp(
          `^cannot use the --db files: .*offset-${offsetMs}\\.json: clock: "offsetMs" ${offsetMs} puts sandbox time at .*, outside the range ${RANGE}\\.`,
        ),
      );
      expect(readFileSync(db, 'utf8')).toBe(text);
    }
  });

  test('a state file whose clock is out of range is refused at start, naming the file and what is wrong', async () => {
    const db = join(dir, 'broken-clock.json');
    const text = JSON.stringify({
      format: 'oauth-sandbox-state',
      version: 1,
      savedAt: 0,
      generation: 1,
      clock: { offsetMs: 1e300, rate: 1 },
      tokens: [],
      platformState: {},
    });
    writeFileSync(db, text);
    await expect(Sandbox.create({ port: 0, db })).rejects.toThrow(
      `cannot use the --db files: ${db}: clock: "offsetMs" 1e+300 puts sandbox time at 1e+300 ms from 1970 (beyond what a date can hold), outside the range ${RANGE}.`,
    );
    expect(readFileSync(db, 'utf8')).toBe(text);
  });
});
