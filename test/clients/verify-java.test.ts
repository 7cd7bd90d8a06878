import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { gatewayParams, getTokens, postGateway, tokenBiz } from '../helpers/sop.js';
import { javaProgram } from './lib/tools.js';

/**
 * docs/verify.md's Java example, run as written (the block marked `<!-- recipe: java/VerifyRefresh.java -->`),
 * with the JDK and the Debian Jackson jars the Java client tests use, against a sandbox where a SOP app
 * exchanged a code and refreshed once.
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

test('the Java example of docs/verify.md verifies one SOP refresh over HTTP, and prints the report when a count does not hold', async () => {
  const now = t.sb.clock.now();
  const tokens = await getTokens(t.http, now);
  const refreshed = await postGateway(
    t.http,
    gatewayParams('open.auth.token.app', now, tokenBiz({ grant_type: 'refresh_token', refresh_token: tokens.app_refresh_token })),
  );
  expect(refreshed.body.open_auth_token_app_response.app_auth_token).toMatch(/^[0-9a-f]{32}$/);
  writeFileSync(join(dir, 'VerifyRefresh.java'), documented('VerifyRefresh.java'));
  const out = (await javaProgram(dir, 'VerifyRefresh.java', [t.sb.url])).trimEnd().split('\n');
  expect(out[0]).toBe('refreshes: 1');
  // Map.of has no order: the matcher's JSON comes in whatever order Jackson wrote it.
  expect(out[1]).toMatch(/^Expected exactly 2 requests matching \{.*"grant_type":"refresh_token".*\}; 1 matched \(of 3 in the journal\)\.$/);
  expect(out[2]).toBe('Nearest misses (all but one or two criteria met):');
  expect(out[3]).toMatch(/^ {2}#\d+ POST \/ → 200 sop\/gateway open\.auth\.token\.app: params\.grant_type was "authorization_code", expected "refresh_token"$/);
  expect(out).toHaveLength(5);
  // javac and a JVM start on a shared 2-core machine.
}, 120_000);
