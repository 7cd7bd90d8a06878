import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive, eventually, listening, ROOT, sandboxEnv } from './support/cli.js';

/**
 * SIGINT to the npx or npm process alone, as child.kill('SIGINT') and CI wrappers send it:
 * npm passes it to the `sh -c` it runs the sandbox through, which waits for its child, so it stopped nothing.
 * The project here uses this checkout as its installed package (node_modules/.bin/sandbox, as npm links it).
 */

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ env } = sandboxEnv());
  dir = mkdtempSync(join(tmpdir(), 'sandbox-sigint-'));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'oauth-platform-sandbox'));
  symlinkSync('../oauth-platform-sandbox/bin/sandbox.js', join(dir, 'node_modules', '.bin', 'sandbox'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, scripts: { start: 'sandbox start --port 0 --quiet --pid-file pid' } }),
  );
});
afterEach(() => {
  rmSync(env.TMPDIR!, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

async function interruptOnly(command: string, args: string[]): Promise<string> {
  const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    const url = await eventually('the readiness line', () => /Sandbox ready at (\S+)/.exec(out)?.[1], 30_000);
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    expect(pid).not.toBe(child.pid);
    child.kill('SIGINT');
    await eventually(`the sandbox (pid ${pid}) to exit`, () => (alive(pid) ? undefined : true), 10_000);
    expect(await listening(Number(new URL(url).port))).toBe(false);
    expect(existsSync(join(dir, 'pid'))).toBe(false);
    await exited;
    return out;
  } finally {
    child.kill('SIGKILL');
  }
}

test('SIGINT to npx alone stops the sandbox as SIGTERM does', async () => {
  const out = await interruptOnly('npx', ['--offline', 'sandbox', 'start', '--port', '0', '--quiet', '--pid-file', 'pid']);
  expect(out).toMatch(/SIGINT to npm[^\n]* \(pid \d+\): stopping \(finishing in-flight requests\)\n/);
}, 60_000);

test('SIGINT to npm start alone stops it too', async () => {
  const out = await interruptOnly('npm', ['start', '--silent']);
  expect(out).toMatch(/SIGINT to npm[^\n]* \(pid \d+\): stopping \(finishing in-flight requests\)\n/);
}, 60_000);
