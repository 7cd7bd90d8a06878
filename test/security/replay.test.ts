import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSandbox, type Spawned } from '../helpers/cli.js';
import { getTokensAt } from '../helpers/mantun.js';
import { healthAnswers, json, raw } from './hostile.js';

/**
 * Review finding H3: `random.draws` and fault `progress.calls` were replayed one draw at a time, so
 * one request froze the event loop for minutes to forever (SIGTERM included), and `--scenario` with a
 * large `draws` never got ready. Each attack runs against a sandbox in a process of its own, as a user
 * runs it, so a frozen sandbox cannot freeze the test; every request has a deadline.
 */

let dir: string;
let sb: Spawned | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-replay-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  // A sandbox that froze ignores SIGTERM: the test already failed; end it for good.
  if (sb && sb.proc.exitCode === null) sb.proc.kill('SIGKILL');
  sb = undefined;
});

const put = (base: string, body: unknown) =>
  raw(base, { method: 'PUT', path: '/__sandbox/scenario', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, 5000);

test('PUT /scenario {"random": {"draws": 1e15}} answers at once, stands the generator there, and the sandbox keeps answering', async () => {
  sb = await spawnSandbox(['start', '--port', '0', '--quiet']);
  const res = await put(sb.url, { random: { seed: 'x', draws: 1e15 } });
  expect(res.status).toBe(200);
  await healthAnswers(sb.url);
  const tokens = await getTokensAt(sb.url);
  expect(tokens.accessToken).toMatch(/^[0-9a-f]{32}$/);
  const exp = json(await raw(sb.url, { path: '/__sandbox/export' }, 5000)) as { random: { seed: string; draws: number } };
  expect(exp.random.seed).toBe('x');
  expect(exp.random.draws).toBeGreaterThan(1e15);
  expect(exp.random.draws).toBeLessThan(1e15 + 100);
  // The largest position a number can name is accepted too; one past it is not a whole number any more.
  expect((await put(sb.url, { random: { seed: 'x', draws: Number.MAX_SAFE_INTEGER - 1000 } })).status).toBe(200);
  await healthAnswers(sb.url);
  expect(await sb.stop()).toBe(0);
});

test('POST /faults with progress.calls 1e15 and a probability answers at once and counts on from there', async () => {
  sb = await spawnSandbox(['start', '--port', '0', '--quiet']);
  const res = await raw(
    sb.url,
    {
      method: 'POST',
      path: '/__sandbox/faults',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'mantun', probability: 0.5, progress: { calls: 1e15, fired: 0, armedAt: 0 }, respond: { status: 503 } }),
    },
    5000,
  );
  expect([res.status, (json(res) as { fault: { calls: number } }).fault.calls]).toEqual([201, 1e15]);
  await healthAnswers(sb.url);
  // The next matching call is call 1e15 + 1.
  await raw(sb.url, { method: 'POST', path: '/oauth/authverify2.as' }, 5000);
  const faults = json(await raw(sb.url, { path: '/__sandbox/faults' }, 5000)) as { faults: { calls: number }[] };
  expect(faults.faults[0].calls).toBe(1e15 + 1);
  expect(await sb.stop()).toBe(0);
});

test('`start --scenario` with draws 1e11 gets ready, and SIGTERM ends it', async () => {
  const file = join(dir, 'big-draws.json');
  writeFileSync(file, JSON.stringify({ random: { seed: 's', draws: 100_000_000_000 } }));
  sb = await spawnSandbox(['start', '--port', '0', '--quiet', '--scenario', file], 10_000);
  await healthAnswers(sb.url);
  expect(await sb.stop()).toBe(0);
});

test('the same from a session and an export loaded back: one jump each, the same next token as the original', async () => {
  sb = await spawnSandbox(['start', '--port', '0', '--quiet', '--seed', 'replay']);
  await put(sb.url, { random: { seed: 'x', draws: 123_456_789_012 } });
  const exported = (await raw(sb.url, { path: '/__sandbox/export' }, 5000)).text;
  const created = await raw(
    sb.url,
    {
      method: 'POST',
      path: '/__sandbox/sessions',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'copy', scenario: JSON.parse(exported) }),
    },
    5000,
  );
  expect(created.status).toBe(201);
  const original = await getTokensAt(sb.url);
  const copy = await getTokensAt(`${sb.url}/s/copy`);
  expect(copy).toEqual(original);
  expect(await sb.stop()).toBe(0);
});
