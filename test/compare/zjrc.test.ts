import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareCli, recordedAge, recordingPair, scratch, zjrcFlow } from './flows.js';

/**
 * `sandbox compare` on a ZJRC recording: the stand-in platform answers another success text, another code and
 * text for an unknown access token, another access token lifetime (inside the bizContent JSON text), and keeps a
 * narrower timestamp window (2 minutes) that refuses the flow’s user info call stamped 150 s ago.
 */

const INJECTED = {
  zjrc: {
    successMsg: 'success',
    errors: { invalid_access_token: { code: '300012', message: '令牌无效' } },
    policy: { lifetimes: { access: 3600 } },
    timestampToleranceSeconds: 120,
  },
};

async function record(overlay: Record<string, unknown> | undefined): Promise<{ dir: string; file: string }> {
  const dir = scratch('compare-zjrc-');
  const file = join(dir, 'zjrc.jsonl');
  const { real, front } = await recordingPair(dir, overlay, file);
  try {
    await zjrcFlow(front.sb.url, () => real.sb.clock.now(), { staleSeconds: 150 });
  } finally {
    await front.close();
    await real.close();
  }
  return { dir, file };
}

test('the injected differences, each with its setting; the written overlay makes them vanish', async () => {
  const { dir, file } = await record(INJECTED);
  const overlay = join(dir, 'real-zjrc.json');
  const first = await compareCli([file, '--write-fixture', overlay]);
  expect([first.status, first.stderr]).toEqual([1, '']);
  const userinfo = 'zjrc gateway.do zjrcuoip.system.oauth.userinfo.query.new';
  // The stale call is the recording's 4th line.
  const stale = JSON.parse(readFileSync(file, 'utf8').trim().split('\n')[3]!) as { at: string; request: { body: { json: { timestamp: string } } } };
  const staleTimestamp = stale.request.body.json.timestamp;
  const age = recordedAge(stale.at, staleTimestamp);
  expect(age.seconds - 150).toBeGreaterThanOrEqual(0);
  expect(age.seconds - 150).toBeLessThan(5);
  expect(first.stdout.trim().split('\n')).toEqual([
    'zjrc gateway.do zjrcuoip.oauth.get.openId.new $.msg: real "success", sandbox "成功" — fixture zjrc.successMsg: "success"',
    'zjrc gateway.do zjrcuoip.oauth.get.openId.new $.bizContent<JSON>.expiresIn: real "3600", sandbox "7200" — fixture zjrc.policy.lifetimes.access: 3600',
    `${userinfo} $.msg: real "success", sandbox "成功" — fixture zjrc.successMsg: "success"`,
    `${userinfo} timestamp: real refused ${JSON.stringify(staleTimestamp)} with code "100009", sandbox accepted it (${age.text} in Asia/Shanghai, UTC+8) — fixture zjrc.timestampToleranceSeconds: 120`,
    `${userinfo} $.msg: real "success", sandbox "成功" — fixture zjrc.successMsg: "success"`,
    `${userinfo} $.bizCode: real "300012", sandbox "200012" — fixture zjrc.errors.invalid_access_token: {"code":"300012","message":"令牌无效"}`,
    `${userinfo} $.bizMsg: real "令牌无效", sandbox "访问令牌无效" — fixture zjrc.errors.invalid_access_token: {"code":"300012","message":"令牌无效"}`,
  ]);
  expect(JSON.parse(readFileSync(overlay, 'utf8'))).toEqual(INJECTED);
  const corrected = await compareCli([file, '--fixtures', overlay]);
  expect([corrected.status, corrected.stdout, corrected.stderr]).toEqual([0, 'no difference in 5 exchange(s)\n', '']);
}, 60_000);

test('a ZJRC recording of a platform the sandbox matches: no difference', async () => {
  const { file } = await record(undefined);
  const run = await compareCli([file]);
  expect([run.status, run.stdout, run.stderr]).toEqual([0, 'no difference in 5 exchange(s)\n', '']);
}, 60_000);
