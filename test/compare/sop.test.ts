import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sopTimestamp } from '../../src/index.js';
import { VERSION } from '../../src/sandbox.js';
import { compareCli, recordingPair, scratch, sopFlow } from './flows.js';
import { SOP_INJECTED } from './overlays.js';

/**
 * `sandbox compare` on a SOP recording: the stand-in platform keeps its time in UTC (its clients stamp UTC time),
 * answers an error's text otherwise, leaves its error answers unsigned, and announces an access token lifetime.
 * Compare must find those four and nothing else (tokens, request ids and signatures by format only), and the
 * overlay it writes must make them vanish.
 */

/** The clients of a platform on UTC stamp UTC time: 8 hours behind what `sopTimestamp` (Asia/Shanghai) writes. */
const UTC_CLIENT = -8 * 3_600_000;

/** The timestamp each gateway call of a recording sent, by its line's seq. */
function sentTimestamps(file: string): Map<number, string> {
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as { seq: number; request: { body: { form: [string, string][] } } });
  return new Map(lines.flatMap((l) => l.request.body.form.filter(([n]) => n === 'timestamp').map(([, v]): [number, string] => [l.seq, v])));
}

/** The line compare prints for a gateway call the platform on UTC accepted and the sandbox, on Asia/Shanghai, refused. */
const utcLine = (method: string, sent: string | undefined) =>
  `sop gateway ${method} timestamp: real accepted ${JSON.stringify(sent)}, sandbox refused it with sub_code "isv.invalid-timestamp" (8 h old in Asia/Shanghai, UTC+8) — fixture sop.utcOffsetMinutes: 0`;

/** The shared overlay (the client parity tests use it too) plus a platform on UTC, which only this flow's clients stamp for. */
const INJECTED = { sop: { utcOffsetMinutes: 0, ...SOP_INJECTED.sop } };

/** `clientShiftMs`: how far the client's clock is from the platform's, as `sopTimestamp` (Asia/Shanghai) reads it. */
async function record(overlay: Record<string, unknown> | undefined, clientShiftMs = 0): Promise<{ dir: string; file: string }> {
  const dir = scratch('compare-sop-');
  const file = join(dir, 'sop.jsonl');
  const { real, front } = await recordingPair(dir, overlay, file);
  try {
    await sopFlow(front.sb.url, () => real.sb.clock.now() + clientShiftMs);
  } finally {
    await front.close();
    await real.close();
  }
  return { dir, file };
}

test('the injected differences, each with its setting; the written overlay makes them vanish', async () => {
  const { dir, file } = await record(INJECTED, UTC_CLIENT);
  const sent = sentTimestamps(file);
  const overlay = join(dir, 'real-sop.json');
  const first = await compareCli([file, '--write-fixture', overlay]);
  expect([first.status, first.stderr]).toEqual([1, '']);
  expect(first.stdout.trim().split('\n')).toEqual([
    utcLine('open.auth.token.app', sent.get(2)),
    'sop gateway open.auth.token.app $.open_auth_token_app_response.expires_in: real 7200, sandbox -1 — fixture sop.policy.lifetimes.access: 7200',
    utcLine('sandbox.merchant.info.get', sent.get(3)),
    utcLine('sandbox.merchant.info.get', sent.get(4)),
    'sop gateway sandbox.merchant.info.get $.sandbox_merchant_info_get_response.sub_msg: real "应用授权令牌无效", sandbox "无效的应用授权令牌" — fixture sop.errors.aop.invalid-app-auth-token: {"zh":"应用授权令牌无效"}',
    'sop gateway sandbox.merchant.info.get $.sign: real missing, sandbox 344 characters of digits, lower-case, upper-case, signs (string) — fixture sop.signErrors: false',
    utcLine('open.auth.token.app', sent.get(5)),
    'sop gateway open.auth.token.app $.open_auth_token_app_response.expires_in: real 7200, sandbox -1 — fixture sop.policy.lifetimes.access: 7200',
  ]);
  expect(JSON.parse(readFileSync(overlay, 'utf8'))).toEqual(INJECTED);
  const corrected = await compareCli([file, '--fixtures', overlay]);
  expect([corrected.status, corrected.stdout, corrected.stderr]).toEqual([0, 'no difference in 5 exchange(s)\n', '']);
}, 60_000);

test('a SOP recording of a platform the sandbox matches: no difference', async () => {
  const { file } = await record(undefined);
  const run = await compareCli([file]);
  expect([run.status, run.stdout, run.stderr]).toEqual([0, 'no difference in 5 exchange(s)\n', '']);
}, 60_000);

test('the clock is set to each exchange’s recorded time: a recording made a day ago replays without a stale timestamp', async () => {
  const { dir, file } = await record(undefined);
  const DAY = 86_400_000;
  const earlier = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((text) => {
      const line = JSON.parse(text) as { at: string; request: { body?: { form?: [string, string][] } } };
      const at = Date.parse(line.at) - DAY;
      line.at = new Date(at).toISOString();
      for (const pair of line.request.body?.form ?? []) if (pair[0] === 'timestamp') pair[1] = sopTimestamp(at);
      return JSON.stringify(line);
    });
  const shifted = join(dir, 'yesterday.jsonl');
  writeFileSync(shifted, `${earlier.join('\n')}\n`);
  const run = await compareCli([shifted]);
  expect([run.status, run.stdout, run.stderr]).toEqual([0, 'no difference in 5 exchange(s)\n', '']);
}, 60_000);

test('fields in another order than the sandbox’s, in the signed node and around it: one line each, listed as needing a code change', async () => {
  // A real platform that sends the token node's fields in another order, and sign before a business call's node:
  // the recording of a matching platform, edited by hand. Unedited, the recorded order is the sandbox's own.
  const { dir, file } = await record(undefined);
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as { seq: number; response: { body: { json: Record<string, unknown> } } });
  const token = lines.find((l) => l.seq === 2)!.response.body.json;
  const node = token.open_auth_token_app_response as Record<string, unknown>;
  const sandboxOrder = Object.keys(node);
  const realOrder = [...sandboxOrder].reverse();
  token.open_auth_token_app_response = Object.fromEntries(realOrder.map((k) => [k, node[k]]));
  const call = lines.find((l) => l.seq === 3)!.response.body;
  expect(Object.keys(call.json)).toEqual(['sandbox_merchant_info_get_response', 'sign']);
  call.json = { sign: call.json.sign, sandbox_merchant_info_get_response: call.json.sandbox_merchant_info_get_response };
  const edited = join(dir, 'reordered.jsonl');
  writeFileSync(edited, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);

  const overlay = join(dir, 'none.json');
  const run = await compareCli([edited, '--write-fixture', overlay]);
  expect([run.status, run.stderr]).toEqual([1, '']);
  const tokenLine = `sop gateway open.auth.token.app $.open_auth_token_app_response: real order [${realOrder.join(', ')}], sandbox order [${sandboxOrder.join(', ')}]`;
  const callLine =
    'sop gateway sandbox.merchant.info.get $: real order [sign, sandbox_merchant_info_get_response], sandbox order [sandbox_merchant_info_get_response, sign]';
  expect(run.stdout.trim().split('\n')).toEqual([
    tokenLine,
    callLine,
    '',
    "2 difference(s) no fixture setting corrects; paste this into a bug report with the recording's lines:",
    `sandbox ${VERSION}, compare ${edited}`,
    `  line 2: ${tokenLine}`,
    `  line 3: ${callLine}`,
  ]);
  expect(JSON.parse(readFileSync(overlay, 'utf8'))).toEqual({});
}, 60_000);

test('request_id last in every routed node, the rest in order: the setting that places it, which makes the difference vanish', async () => {
  const { dir, file } = await record(undefined);
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as { seq: number; apiMethod?: string; response: { body?: { json?: Record<string, unknown> } } });
  const moved: number[] = [];
  for (const line of lines) {
    const json = line.response.body?.json;
    const name = json && Object.keys(json).find((k) => k.endsWith('_response'));
    const node = name ? (json[name] as Record<string, unknown>) : undefined;
    if (!node || !('request_id' in node)) continue;
    expect(Object.keys(node)[0]).toBe('request_id');
    const { request_id: id, ...rest } = node;
    json![name!] = { ...rest, request_id: id };
    moved.push(line.seq);
  }
  expect(moved.length).toBeGreaterThan(1);
  const edited = join(dir, 'request-id-last.jsonl');
  writeFileSync(edited, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);

  const overlay = join(dir, 'real-sop.json');
  const first = await compareCli([edited, '--json', '--write-fixture', overlay]);
  expect([first.status, first.stderr]).toEqual([1, '']);
  const found = first.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; seq: number; path: string; setting?: unknown });
  expect(found.map((d) => [d.kind, d.seq, d.setting])).toEqual(moved.map((seq) => ['behaviour', seq, { path: ['sop', 'requestIdPosition'], value: 'last' }]));
  expect(JSON.parse(readFileSync(overlay, 'utf8'))).toEqual({ sop: { requestIdPosition: 'last' } });
  const second = await compareCli([edited, '--fixtures', overlay]);
  expect([second.status, second.stderr]).toEqual([0, '']);
}, 60_000);

test('a platform on UTC and nothing else: one timestamp line per gateway call, naming the zone; the written overlay makes them vanish', async () => {
  const { dir, file } = await record({ sop: { utcOffsetMinutes: 0 } }, UTC_CLIENT);
  const overlay = join(dir, 'real-sop.json');
  const first = await compareCli([file, '--write-fixture', overlay]);
  expect([first.status, first.stderr]).toEqual([1, '']);
  const sent = sentTimestamps(file);
  expect([...sent.keys()]).toEqual([2, 3, 4, 5]);
  const methods = ['open.auth.token.app', 'sandbox.merchant.info.get', 'sandbox.merchant.info.get', 'open.auth.token.app'];
  expect(first.stdout.trim().split('\n')).toEqual(methods.map((m, i) => utcLine(m, sent.get(i + 2))));
  expect(JSON.parse(readFileSync(overlay, 'utf8'))).toEqual({ sop: { utcOffsetMinutes: 0 } });
  const corrected = await compareCli([file, '--fixtures', overlay]);
  expect([corrected.status, corrected.stdout, corrected.stderr]).toEqual([0, 'no difference in 5 exchange(s)\n', '']);
}, 60_000);
