import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { alive, eventually, listening } from '../cli/support/cli.js';
import { consumerProject, installedPackage, type Installed } from './support/installed.js';

/**
 * Stopping `npx sandbox start` stops the server, however it was started: npx runs `sh -c sandbox`,
 * which runs node, and a signal to npx used to end npx and sh and leave node listening.
 */

const exec = promisify(execFile);
let installed: Installed;
beforeAll(async () => {
  installed = await installedPackage();
}, 180_000);

const gone = async (dir: string, port: number) => {
  const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
  await eventually(`the sandbox (pid ${pid}) to exit`, () => (alive(pid) ? undefined : true));
  expect(await listening(port)).toBe(false);
  expect(existsSync(join(dir, 'pid'))).toBe(false);
  return pid;
};

test('a CI script: npx sandbox start in the background, then kill $! — the server stops and frees the port', async () => {
  const dir = consumerProject(installed, 'commonjs');
  const script = `
npx --offline sandbox start --port 0 --port-file port --pid-file pid > sandbox.log 2>&1 &
until [ -s port ]; do sleep 0.1; done
kill $!
wait $!
cat port
`;
  const { stdout } = await exec('sh', ['-c', script], { cwd: dir, timeout: 60_000 });
  await gone(dir, Number(stdout));
  expect(readFileSync(join(dir, 'sandbox.log'), 'utf8')).toMatch(
    /\(pid \d+\), which started the sandbox, has ended: stopping \(finishing in-flight requests\)\n$/,
  );
});

test('a Node test runner: child.kill() on the npx it spawned stops the server', async () => {
  const dir = consumerProject(installed, 'commonjs');
  const child = spawn('npx', ['--offline', 'sandbox', 'start', '--port', '0', '--pid-file', 'pid', '--quiet'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const url = await eventually('the readiness line', () => /Sandbox ready at (\S+)/.exec(out)?.[1]);
  child.kill();
  await gone(dir, Number(new URL(url).port));
});

test('npx killed with SIGKILL (it cannot pass anything on, and its sh stays): the server stops all the same', async () => {
  const dir = consumerProject(installed, 'commonjs');
  const child = spawn('npx', ['--offline', 'sandbox', 'start', '--port', '0', '--pid-file', 'pid', '--quiet'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const url = await eventually('the readiness line', () => /Sandbox ready at (\S+)/.exec(out)?.[1]);
  child.kill('SIGKILL');
  await gone(dir, Number(new URL(url).port));
});
