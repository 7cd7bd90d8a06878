import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareCli, recordingPair, scratch, usercenterFlow } from './flows.js';

/**
 * `sandbox compare` on a UserCenter recording: the stand-in platform words a refusal otherwise, announces another
 * access token lifetime (inside the `result` JSON text), and answers the token check with another text.
 */

const INJECTED = {
  usercenter: {
    errors: { bad_credentials: { msg: '用户名或密码错误' } },
    policy: { lifetimes: { access: 7200 } },
    successTexts: { check: 'ok' },
  },
};

async function record(overlay: Record<string, unknown> | undefined): Promise<{ dir: string; file: string }> {
  const dir = scratch('compare-usercenter-');
  const file = join(dir, 'usercenter.jsonl');
  const { real, front } = await recordingPair(dir, overlay, file);
  try {
    await usercenterFlow(front.sb.url);
  } finally {
    await front.close();
    await real.close();
  }
  return { dir, file };
}

test('the injected differences, each with its setting; the written overlay makes them vanish', async () => {
  const { dir, file } = await record(INJECTED);
  const overlay = join(dir, 'real-usercenter.json');
  const first = await compareCli([file, '--write-fixture', overlay]);
  expect([first.status, first.stderr]).toEqual([1, '']);
  expect(first.stdout.trim().split('\n')).toEqual([
    'usercenter token $.msg: real "用户名或密码错误", sandbox "username or password is incorrect" — fixture usercenter.errors.bad_credentials: {"msg":"用户名或密码错误"}',
    'usercenter token $.result<JSON>.expires_in: real "7200", sandbox "86400" — fixture usercenter.policy.lifetimes.access: 7200',
    'usercenter checkOauthToken $.result: real "ok", sandbox "true" — fixture usercenter.successTexts.check: "ok"',
  ]);
  expect(JSON.parse(readFileSync(overlay, 'utf8'))).toEqual(INJECTED);
  const corrected = await compareCli([file, '--fixtures', overlay]);
  expect([corrected.status, corrected.stdout, corrected.stderr]).toEqual([0, 'no difference in 5 exchange(s)\n', '']);
}, 60_000);

test('a UserCenter recording of a platform the sandbox matches: no difference', async () => {
  const { file } = await record(undefined);
  const run = await compareCli([file]);
  expect([run.status, run.stdout, run.stderr]).toEqual([0, 'no difference in 5 exchange(s)\n', '']);
}, 60_000);
