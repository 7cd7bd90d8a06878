import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../src/index.js';
import { eventually } from '../helpers/cli.js';
import { SseClient } from '../ui/sse-client.js';

/** sb.clock moves the clock the one way POST /__sandbox/clock does: durable under --db, announced to the dashboard. */

let dir: string;
let sb: RunningSandbox;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-clock-'));
});
afterEach(async () => {
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;

/** The clock offset the --db change log holds last (written without any close or compaction). */
function loggedOffset(db: string): number | undefined {
  if (!existsSync(`${db}.log`)) return undefined;
  const lines = readFileSync(`${db}.log`, 'utf8').trim().split('\n');
  for (const line of lines.reverse()) {
    const parsed = JSON.parse(line) as { c?: { offsetMs: number } };
    if (parsed.c) return parsed.c.offsetMs;
  }
  return undefined;
}

test('under --db, sb.clock.advance() is written to the change log while the sandbox runs', async () => {
  const db = join(dir, 'state.json');
  sb = await startSandbox({ db, seed: 'clock' });
  sb.clock.advance('1h');
  const offset = await eventually('the move in the change log', () => {
    const o = loggedOffset(db);
    return o !== undefined && o > HOUR - 5000 ? o : undefined;
  });
  expect(offset).toBeLessThan(HOUR + 5000);
  sb.clock.set(Date.UTC(2030, 0, 1));
  await eventually('the set in the change log', () => {
    const o = loggedOffset(db);
    return o !== undefined && Math.abs(o - (Date.UTC(2030, 0, 1) - Date.now())) < 5000 ? o : undefined;
  });
});

test('under --db, await sb.settled() returns once a clock move is in the change log (no polling)', async () => {
  const db = join(dir, 'state.json');
  sb = await startSandbox({ db, seed: 'clock' });
  sb.clock.setRate(0);
  const before = sb.clock.now();
  expect(sb.clock.advance(5000)).toBe(before + 5000);
  await sb.settled();
  const offset = loggedOffset(db);
  expect(offset).toBeDefined();
  expect(Math.abs(offset! - (before + 5000 - Date.now()))).toBeLessThan(5000);
});

test('a number given to sb.clock.advance() is milliseconds, taken as they are (a fraction rounds to the nearest)', async () => {
  sb = await startSandbox({ seed: 'clock' });
  sb.clock.setRate(0);
  const before = sb.clock.now();
  expect(sb.clock.advance(1)).toBe(before + 1);
  expect(sb.clock.advance(2.6)).toBe(before + 4);
  expect(sb.clock.advance(-4)).toBe(before);
  expect(() => sb.clock.advance(Number.NaN)).toThrow(
    '"advance" must be a duration such as "3601s", "30m", "1h", "1d", "1h30m" or a finite number of milliseconds, got NaN.',
  );
  expect(sb.clock.now()).toBe(before);
});

test('sb.clock.advance() is announced on the event stream the dashboard follows', async () => {
  sb = await startSandbox({ seed: 'clock' });
  const stream = await SseClient.open(`${sb.url}/__sandbox/events`);
  try {
    await stream.nth('hello');
    sb.clock.advance('2h');
    const changed = await stream.nth('changed');
    expect((changed.data as { clock: { offsetMs: number } }).clock.offsetMs).toBeGreaterThan(2 * HOUR - 5000);
  } finally {
    stream.close();
  }
});

test('sb.clock refuses what POST /__sandbox/clock refuses, with the same message, and does not move', async () => {
  sb = await startSandbox({ seed: 'clock' });
  const before = sb.clock.now();
  expect(() => sb.clock.advance('soon')).toThrow(
    '"advance" must be a duration such as "3601s", "30m", "1h", "1d", "1h30m" or a number of seconds, got "soon".',
  );
  expect(() => sb.clock.set('tomorrow')).toThrow('"set" must be an ISO-8601 time such as "2026-01-01T08:00:00+08:00" or epoch milliseconds, got "tomorrow".');
  expect(() => sb.clock.setRate(-1)).toThrow('"rate" must be a number ≥ 0 (1 = real time, 60 = a minute per second, 0 = frozen), got -1.');
  expect(Math.abs(sb.clock.now() - before)).toBeLessThan(5000);
});
