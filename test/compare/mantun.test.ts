import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareCli, mantunFlow, recordedAge, recordingPair, scratch } from './flows.js';
import { MANTUN_INJECTED } from './overlays.js';

/**
 * `sandbox compare` on a Mantun recording. A stand-in for the real platform (a second sandbox) is started with
 * Assumed settings changed: an error's code and text, the type of authverify2.as's refusal `success`, the access
 * token's lifetime, and a router.as timestamp window (10 minutes) that refuses the flow's call stamped 11 minutes
 * ago. The flow goes through a recording sandbox; compare must find exactly those, and the overlay it writes must
 * make them vanish.
 */

/** The shared overlay (the client parity tests use it too) plus a router.as timestamp window, which only this flow's stale call meets. */
const INJECTED = { mantun: { ...MANTUN_INJECTED.mantun, timestampToleranceSeconds: 600 } };

/** How long before the call the flow's stale router.as call is stamped: outside the stand-in's window, inside no window. */
const STALE_SECONDS = 660;

interface JsonDifference {
  kind: string;
  platform: string;
  endpoint: string;
  path: string;
  real: string;
  sandbox: string;
  setting?: { path: string[]; value: unknown };
}

const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JsonDifference);

async function record(overlay: Record<string, unknown> | undefined): Promise<{ dir: string; file: string }> {
  const dir = scratch('compare-mantun-');
  const file = join(dir, 'mantun.jsonl');
  const { real, front } = await recordingPair(dir, overlay, file);
  try {
    await mantunFlow(front.sb.url, () => real.sb.clock.now(), { staleSeconds: STALE_SECONDS });
  } finally {
    await front.close();
    await real.close();
  }
  return { dir, file };
}

test('the injected differences, each with the setting that corrects it; the written overlay makes them vanish', async () => {
  const { dir, file } = await record(INJECTED);
  const first = await compareCli([file, '--json']);
  expect(first.stderr).toBe('');
  expect(first.status).toBe(1);
  // The stale call is the recording's 5th line; the real platform's answer to it is its own timestamp refusal.
  const stale = JSON.parse(readFileSync(file, 'utf8').trim().split('\n')[4]!) as {
    at: string;
    request: { body: { form: [string, string][] } };
    response: { body: unknown };
  };
  const staleTimestamp = stale.request.body.form.find(([n]) => n === 'timestamp')![1];
  const age = recordedAge(stale.at, staleTimestamp);
  expect(age.seconds - STALE_SECONDS).toBeGreaterThanOrEqual(0);
  expect(age.seconds - STALE_SECONDS).toBeLessThan(5);
  expect(stale.response.body).toEqual({
    json: { success: false, code: '10041', message: 'timestamp is missing, malformed (yyyyMMddHHmmss) or too far from server time' },
  });
  const found = jsonLines(first.stdout).map((d) => [d.kind, d.endpoint, d.path, d.real, d.sandbox, d.setting]);
  expect(found).toEqual([
    ['behaviour', 'authverify2.as', '$.success', '"false" (string)', 'false (boolean)', { path: ['mantun', 'authverifyFailureSuccess'], value: 'string' }],
    [
      'behaviour',
      'authverify2.as',
      '$.code',
      '"20004"',
      '"10004"',
      { path: ['mantun', 'errors', 'invalid_credentials'], value: { code: '20004', message: '用户名或密码错误' } },
    ],
    [
      'behaviour',
      'authverify2.as',
      '$.message',
      '"用户名或密码错误"',
      '"uname or passwd is incorrect"',
      { path: ['mantun', 'errors', 'invalid_credentials'], value: { code: '20004', message: '用户名或密码错误' } },
    ],
    ['behaviour', 'token.as', '$.data.expiresIn', '7200', '3600', { path: ['mantun', 'policy', 'lifetimes', 'access'], value: 7200 }],
    [
      'behaviour',
      'router.as',
      'timestamp',
      `refused ${JSON.stringify(staleTimestamp)} with code "10041"`,
      `accepted it (${age.text} in Asia/Shanghai, UTC+8)`,
      { path: ['mantun', 'timestampToleranceSeconds'], value: 600 },
    ],
    ['behaviour', 'refresh.as', '$.data.expiresIn', '7200', '3600', { path: ['mantun', 'policy', 'lifetimes', 'access'], value: 7200 }],
  ]);

  const overlay = join(dir, 'real-mantun.json');
  const written = await compareCli([file, '--write-fixture', overlay]);
  expect(written.status).toBe(1);
  expect(written.stdout.split('\n')[0]).toBe(
    'mantun authverify2.as $.success: real "false" (string), sandbox false (boolean) — fixture mantun.authverifyFailureSuccess: "string"',
  );
  expect(JSON.parse(readFileSync(overlay, 'utf8'))).toEqual(INJECTED);

  const corrected = await compareCli([file, '--fixtures', overlay]);
  expect([corrected.status, corrected.stdout, corrected.stderr]).toEqual([0, 'no difference in 6 exchange(s)\n', '']);
}, 60_000);

test('a recording of a platform the sandbox matches: no difference, exit 0', async () => {
  const { file } = await record(undefined);
  const run = await compareCli([file, '--json']);
  expect([run.status, run.stdout, run.stderr]).toEqual([0, '', '']);
}, 60_000);
