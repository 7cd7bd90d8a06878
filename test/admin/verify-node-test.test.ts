import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { run } from '../helpers/processes.js';

/**
 * sb.verify's AssertionError as node:test sees it: a test of a consumer, run with `node --test`
 * against the built package, fails with the verification's report (not a crash of the runner).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

test('node --test reports a failed sb.verify as a failed assertion with the report, and a holding one as a pass', async () => {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests');
  dir = mkdtempSync(join(tmpdir(), 'sandbox-verify-node-test-'));
  const file = join(dir, 'verify.test.mjs');
  writeFileSync(
    file,
    `import { test } from 'node:test';
import { startSandbox } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)};

const sb = await startSandbox({ port: 0 });
await fetch(sb.url + '/oauth/tokn.as', { method: 'POST' });
test('a misrouted call was made', () => sb.verify({ matched: false, path: '/oauth/tokn.as' }, { count: 1 }));
test('no refresh was made', () => sb.verify({ endpoint: 'refresh.as' }, { count: 1 }));
test.after(() => sb.close());
`,
  );
  const r = await run(process.execPath, ['--test', '--test-reporter=spec', file], { timeoutMs: 60_000 });
  expect(r.timedOut).toBe(false);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/✔ a misrouted call was made/);
  expect(r.stdout).toMatch(/✖ no refresh was made/);
  expect(r.stdout).toContain('AssertionError');
  expect(r.stdout).toContain('Expected exactly 1 request matching {"endpoint":"refresh.as"}; 0 matched (of 1 in the journal).');
  expect(r.stdout).toMatch(/ℹ pass 1\n/);
  expect(r.stdout).toMatch(/ℹ fail 1\n/);
}, 90_000);
