import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { consumerProject, installedPackage, ROOT, type Installed } from './support/installed.js';

const exec = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;

async function sh(cwd: string, script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec('sh', ['-c', script], { cwd, encoding: 'utf8', timeout: 120_000 });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('a fresh clone installs with npm ci', () => {
  let dir: string;
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  test('npm ci accepts package.json and package-lock.json as committed (every platform build is locked)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-npm-ci-'));
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    copyFileSync(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
    // --dry-run: the lockfile check npm ci makes before anything, without installing 500 packages again.
    const r = await sh(dir, 'npm ci --dry-run --offline --ignore-scripts --no-audit --no-fund');
    expect({ code: r.code, stderr: r.stderr.split('\n').filter((l) => /npm error/.test(l)) }).toEqual({ code: 0, stderr: [] });
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages)).toEqual(
      expect.arrayContaining(['node_modules/@unrs/resolver-binding-darwin-arm64', 'node_modules/@unrs/resolver-binding-win32-x64-msvc']),
    );
  }, 60_000);

  test('npm install leaves package-lock.json as committed (a fresh clone stays clean)', async () => {
    const lockOnly = mkdtempSync(join(tmpdir(), 'sandbox-npm-install-'));
    try {
      copyFileSync(join(ROOT, 'package.json'), join(lockOnly, 'package.json'));
      copyFileSync(join(ROOT, 'package-lock.json'), join(lockOnly, 'package-lock.json'));
      const r = await sh(lockOnly, 'npm install --package-lock-only --prefer-offline --ignore-scripts --no-audit --no-fund');
      expect(r.code).toBe(0);
      expect(readFileSync(join(lockOnly, 'package-lock.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    } finally {
      rmSync(lockOnly, { recursive: true, force: true });
    }
  }, 60_000);

  test('.ci/run installs with npm ci, not npm install', () => {
    const steps = readFileSync(join(ROOT, '.ci', 'run'), 'utf8')
      .split('\n')
      .filter((l) => /^\s*npm /.test(l));
    expect(steps).toEqual(['npm ci --no-audit --no-fund', 'npm run test:setup && npm test']);
  });
});

describe('installed from the packed tarball', () => {
  let installed: Installed;
  beforeAll(async () => {
    installed = await installedPackage();
  }, 180_000);

  test('npx oauth-platform-sandbox (the bin named after the package, which npx picks) and npx sandbox both run it', async () => {
    const dir = consumerProject(installed, 'commonjs');
    expect(await sh(dir, 'npx --offline oauth-platform-sandbox --version && npx --offline sandbox --version')).toEqual({
      code: 0,
      stdout: `${pkg.version}\n${pkg.version}\n`,
      stderr: '',
    });
    // npx <package> runs the bin whose name is the package's when there are several.
    expect(pkg.bin).toEqual({ 'oauth-platform-sandbox': 'bin/sandbox.js', sandbox: 'bin/sandbox.js' });
  });

  test('npx oauth-platform-sandbox runs from a folder outside any project, the package fetched by npx itself', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sandbox-npx-anywhere-'));
    try {
      // What `npx oauth-platform-sandbox --version` does once the package is published, with the tarball
      // standing in for the registry. --prefer-offline: npm's cache serves what this project installed.
      const r = await sh(empty, `npx --yes --prefer-offline --package=${installed.tarball} oauth-platform-sandbox --version`);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `${pkg.version}\n` });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 120_000);

  test('npx oauth-platform-sandbox alone lists every command', async () => {
    const dir = consumerProject(installed, 'commonjs');
    const r = await sh(dir, 'npx --offline oauth-platform-sandbox');
    expect(r.code).toBe(2);
    for (const command of ['start', 'stop', 'health', 'validate', 'export', 'sign', 'keys'])
      expect(r.stdout).toMatch(new RegExp(`^  sandbox ${command}\\b`, 'm'));
  });

  test('package.json says where the code, the documentation and the issues are', () => {
    const repo = 'https://github.com/oauth-platform-sandbox/oauth-platform-sandbox';
    expect({ repository: pkg.repository, homepage: pkg.homepage, bugs: pkg.bugs }).toEqual({
      repository: { type: 'git', url: `git+${repo}.git` },
      homepage: `${repo}#readme`,
      bugs: { url: `${repo}/issues` },
    });
  });

  test('the README shipped in the package links only to absolute URLs, and they point into the repository', () => {
    const readme = readFileSync(join(installed.prefix, 'node_modules', 'oauth-platform-sandbox', 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(5);
    const base = pkg.homepage.replace(/#readme$/, '');
    expect(links.filter((l) => !l.startsWith('#') && !l.startsWith(`${base}/`))).toEqual([]);
  });

  test('the README and the CI recipes say to install the package before the first npx sandbox in another project', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    // The quick start's first block runs in a clone of this repository, where npm install installs it.
    const afterQuickStart = readme.indexOf('```', readme.indexOf('```sh') + 3) + 3;
    const recipes = readFileSync(join(ROOT, 'docs', 'ci-recipes.md'), 'utf8');
    for (const [doc, text, from] of [
      ['README.md', readme, afterQuickStart],
      ['docs/ci-recipes.md', recipes, 0],
    ] as const) {
      const install = text.indexOf('npm i -D oauth-platform-sandbox', from);
      const firstUse = text.indexOf('npx sandbox', from);
      expect({ doc, install: install >= 0, before: install < firstUse }).toEqual({ doc, install: true, before: true });
    }
  });
});
