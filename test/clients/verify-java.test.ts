import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { gatewayParams, getTokens, postGateway, tokenBiz } from '../helpers/sop.js';
import { junitClass } from './lib/tools.js';

/**
 * docs/verify.md's JUnit 5 test, run as written (the block marked `<!-- recipe: java/VerifyRefreshTest.java -->`)
 * by the JUnit console launcher, with the JDK and the Debian JUnit 5 and Jackson jars, against a sandbox
 * where a SOP app exchanged a code and then refreshed once.
 */
const DOC = join(fileURLToPath(new URL('../../', import.meta.url)), 'docs', 'verify.md');

function documented(file: string): string {
  const m = new RegExp(`<!-- recipe: java/${file.replace('.', '\\.')} -->\\n\`\`\`java\\n([^]*?)\\n\`\`\``).exec(readFileSync(DOC, 'utf8'));
  if (!m) throw new Error(`docs/verify.md has no block marked <!-- recipe: java/${file} -->`);
  return `${m[1]}\n`;
}

let t: TestSandbox;
let dir: string;
beforeAll(async () => {
  t = await startTestSandbox();
  dir = mkdtempSync(join(tmpdir(), 'sandbox-verify-java-'));
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const SUMMARY = (passed: number, failed: number) => [
  expect.stringMatching(new RegExp(`^\\[ +${passed} tests successful +\\]$`)),
  expect.stringMatching(new RegExp(`^\\[ +${failed} tests failed +\\]$`)),
];

test('the JUnit 5 test of docs/verify.md: both tests fail before the refresh, and pass once the app has refreshed once', async () => {
  writeFileSync(join(dir, 'VerifyRefreshTest.java'), documented('VerifyRefreshTest.java'));
  const runTests = await junitClass(dir, 'VerifyRefreshTest.java');
  const now = t.sb.clock.now();
  const tokens = await getTokens(t.http, now);

  // Only the code exchange so far: no refresh, so neither count holds, and JUnit shows the sandbox's report.
  const before = await runTests({ 'sandbox.url': t.sb.url });
  expect(before.code).toBe(1);
  const lines = before.stdout.split('\n').map((l) => l.trim());
  expect(lines).toEqual(expect.arrayContaining(SUMMARY(0, 2)));
  expect(before.stdout).toContain('appRefreshedItsSopTokenOnce() ✘ Expected exactly 1 request matching');
  expect(before.stdout).toContain('twoRefreshesDoNotHoldAndTheCodeExchangeIsTheNearestMiss() ✘ expected: <1> but was: <0>');

  const refreshed = await postGateway(
    t.http,
    gatewayParams('open.auth.token.app', now, tokenBiz({ grant_type: 'refresh_token', refresh_token: tokens.app_refresh_token })),
  );
  expect(refreshed.body.open_auth_token_app_response.app_auth_token).toMatch(/^[0-9a-f]{32}$/);

  const after = await runTests({ 'sandbox.url': t.sb.url });
  expect({ code: after.code, stderr: after.stderr }).toEqual({ code: 0, stderr: '' });
  expect(after.stdout.split('\n').map((l) => l.trim())).toEqual(expect.arrayContaining(SUMMARY(2, 0)));
  expect(after.stdout).toContain('appRefreshedItsSopTokenOnce() ✔');
  expect(after.stdout).toContain('twoRefreshesDoNotHoldAndTheCodeExchangeIsTheNearestMiss() ✔');
  // javac and two JVM starts on a shared 2-core machine.
}, 120_000);
