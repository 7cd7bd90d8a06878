import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, listening, ROOT } from '../cli/support/cli.js';

/**
 * The README's quick start in a clone: `npm install && npm start`, then `npm test`. Not `npx sandbox start`
 * there: npm 11's npx copies the repository it runs in into its cache first, rebuilding it, and an interrupted
 * copy breaks every later npx in the clone.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const quickStart = README.slice(README.indexOf('## Quick start'));
const firstBlock = quickStart.slice(quickStart.indexOf('```sh\n') + 6, quickStart.indexOf('```', quickStart.indexOf('```sh\n') + 6));

test('the quick start is two commands: npm install && npm start, then the system packages and npm test, which CI runs too', () => {
  expect(firstBlock.split('\n').map((l) => l.replace(/\s+#.*$/, ''))).toEqual(['npm install && npm start', 'npm run test:setup && npm test', '']);
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
  expect(scripts.start).toBe('node bin/sandbox.js start');
  expect(scripts['test:setup']).toBe('bash .ci/system-packages.sh --install');
  expect(scripts.test.startsWith('bash .ci/system-packages.sh --check && ')).toBe(true);
  expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8').split('\n')).toContain('npm run test:setup && npm test');
});

test('the check npm test starts with names every missing system package and the command that installs them', () => {
  const empty = mkdtempSync(join(tmpdir(), 'no-system-packages-'));
  try {
    // A machine with none of them: no files under the root, no commands on PATH.
    const bare = spawnSync('/bin/bash', [join(ROOT, '.ci', 'system-packages.sh'), '--check'], {
      env: { SYSTEM_PACKAGES_ROOT: empty, PATH: empty },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect({ status: bare.status, stdout: bare.stdout, stderr: bare.stderr }).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'the tests need Debian packages that are not installed: chromium redis-server python3 python3-requests python3-rsa default-jdk-headless libjackson2-databind-java libokhttp-java junit5 nginx-light podman runc mmdebstrap\n' +
        'install them with: npm run test:setup   (apt-get install, as root or through sudo)\n',
    });
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  // This machine ran `npm run test:setup` (CI runs it before npm test): nothing is missing, nothing is said.
  const here = spawnSync('bash', [join(ROOT, '.ci', 'system-packages.sh'), '--check'], { encoding: 'utf8', timeout: 10_000 });
  expect({ status: here.status, stderr: here.stderr }).toEqual({ status: 0, stderr: '' });
});

test('npm start serves the built-in fixtures, takes options after --, and stops with npm', async () => {
  const npm = spawn('npm', ['start', '--', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npm.stdout.on('data', (c: Buffer) => (out += c.toString()));
  npm.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise((resolve) => npm.once('exit', resolve));
  try {
    const url = await eventually('the readiness line', () => /Sandbox ready at (\S+)/.exec(out)?.[1], 30_000);
    expect(out).toContain('mantun — Mantunsci');
    const login = await fetch(`${url}/mantun/oauth/authverify2.as`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=O000000049&uname=13800000000&passwd=sandbox123&redirect_uri=http://you-domain/xxx.jsp&response_type=code',
    });
    expect(await login.json()).toEqual({ code: expect.stringMatching(/^[0-9a-f]{32}$/), success: 'true' });
    npm.kill('SIGTERM');
    const port = Number(new URL(url).port);
    await eventually('the sandbox to stop with npm', async () => ((await listening(port)) ? undefined : true));
  } finally {
    npm.kill('SIGKILL');
    await exited;
  }
}, 60_000);
