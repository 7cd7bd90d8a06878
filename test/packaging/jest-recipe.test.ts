import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * docs/in-process.md's Jest recipe, run as written: every code block marked `<!-- recipe: jest/<file> -->`
 * becomes that file of a consumer project, which then runs Jest against the installed package.
 */

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = join(ROOT, 'docs', 'in-process.md');

function recipe(name: string): Record<string, string> {
  const files: Record<string, string> = {};
  const marker = new RegExp(`<!-- recipe: ${name}/(\\S+) -->\\n\`\`\`\\w*\\n([^]*?)\\n\`\`\``, 'g');
  for (const m of readFileSync(DOC, 'utf8').matchAll(marker)) files[m[1]] = `${m[2]}\n`;
  return files;
}

let dir: string;
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

test('the documented recipe has a config, a global setup and teardown, a session helper and a test', () => {
  expect(Object.keys(recipe('jest')).sort()).toEqual([
    'jest.config.mjs',
    'package.json',
    'test/login.test.mjs',
    'test/sandbox-session.mjs',
    'test/sandbox-setup.mjs',
    'test/sandbox-teardown.mjs',
  ]);
});

test('Jest runs it: one sandbox for the run, a session per test file, the sandbox closed at the end', async () => {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests');
  dir = mkdtempSync(join(tmpdir(), 'sandbox-jest-recipe-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'oauth-platform-sandbox'), 'dir');
  for (const [file, text] of Object.entries(recipe('jest'))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  // A CommonJS test file runs beside the documented one, talking HTTP only: parallel files must not see each other's tokens.
  writeFileSync(
    join(dir, 'test', 'isolation.test.cjs'),
    `test('a session of its own starts with no tokens', async () => {
  const base = \`\${process.env.SANDBOX_URL}/__sandbox\`;
  const s = await fetch(\`\${base}/sessions\`, { method: 'POST' }).then((r) => r.json());
  const tokens = await fetch(\`\${base}/tokens\`, { headers: { 'x-sandbox-session': s.id } }).then((r) => r.json());
  expect(tokens).toEqual({ count: 0, tokens: [] });
  expect((await fetch(\`\${base}/sessions/\${s.id}\`, { method: 'DELETE' })).status).toBe(204);
});
`,
  );

  const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  let result: { code: number; stdout: string; stderr: string };
  // What the recipe's "test" script runs: its node flags, then Jest.
  const script = (JSON.parse(recipe('jest')['package.json']) as { scripts: { test: string } }).scripts.test.split(' ');
  expect(script.slice(-1)).toEqual(['node_modules/jest/bin/jest.js']);
  expect(script[0]).toBe('node');
  try {
    const r = await exec(process.execPath, [...script.slice(1, -1), jest, '--ci', '--json', '--outputFile', 'results.json'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60000,
    });
    result = { code: 0, ...r };
  } catch (e) {
    result = e as { code: number; stdout: string; stderr: string };
  }
  expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, stderr: '' });
  // The recipe silences VM Modules' ExperimentalWarning (docs/in-process.md says why), and nothing else.
  expect(result.stderr).not.toContain('ExperimentalWarning');
  expect(script).toContain('--disable-warning=ExperimentalWarning');
  const report = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: { assertionResults: { title: string; status: string }[] }[];
  };
  expect({ passed: report.numPassedTests, failed: report.numFailedTests }).toEqual({ passed: 2, failed: 0 });
  const titles = report.testResults.flatMap((r) => r.assertionResults.map((a) => `${a.status}: ${a.title}`)).sort();
  expect(titles).toEqual(['passed: a session of its own starts with no tokens', 'passed: the app notices an expired token']);
}, 90000);
