import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli.js';
import { mantunFlow, recordingPair, scratch } from './flows.js';
import { MANTUN_INJECTED } from './overlays.js';

/**
 * `sandbox compare` on a Mantun recording. A stand-in for the real platform (a second sandbox) is started with
 * Assumed settings changed: an error's code and text, the type of authverify2.as's refusal `success`, the access
 * token's lifetime. The flow goes through a recording sandbox; compare must find exactly those, and the overlay
 * it writes must make them vanish.
 */

const INJECTED = MANTUN_INJECTED;

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
    await mantunFlow(front.sb.url, () => real.sb.clock.now());
  } finally {
    await front.close();
    await real.close();
  }
  return { dir, file };
}

test('the injected differences, each with the setting that corrects it; the written overlay makes them vanish', async () => {
  const { dir, file } = await record(INJECTED);
  const first = await runCliAsync(['compare', file, '--json']);
  expect(first.stderr).toBe('');
  expect(first.status).toBe(1);
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
    ['behaviour', 'refresh.as', '$.data.expiresIn', '7200', '3600', { path: ['mantun', 'policy', 'lifetimes', 'access'], value: 7200 }],
  ]);

  const overlay = join(dir, 'real-mantun.json');
  const written = await runCliAsync(['compare', file, '--write-fixture', overlay]);
  expect(written.status).toBe(1);
  expect(written.stdout.split('\n')[0]).toBe(
    'mantun authverify2.as $.success: real "false" (string), sandbox false (boolean) — fixture mantun.authverifyFailureSuccess: "string"',
  );
  expect(JSON.parse(readFileSync(overlay, 'utf8'))).toEqual(INJECTED);

  const corrected = await runCliAsync(['compare', file, '--fixtures', overlay]);
  expect([corrected.status, corrected.stdout, corrected.stderr]).toEqual([0, 'no difference in 5 exchange(s)\n', '']);
}, 60_000);

test('a recording of a platform the sandbox matches: no difference, exit 0', async () => {
  const { file } = await record(undefined);
  const run = await runCliAsync(['compare', file, '--json']);
  expect([run.status, run.stdout, run.stderr]).toEqual([0, '', '']);
}, 60_000);
