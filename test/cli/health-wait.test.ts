import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cli, eventually, freePort, sandboxEnv } from './support/cli.js';

/**
 * `health --wait` gives up at once, with the cause, when the sandbox it waits for has died. The waits
 * below are ten minutes: if the check waited them out, the test would time out instead.
 */
const LONG_WAIT = '600000';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What a CI script does: start it in the background with its output in a file, then wait for it. */
function background(args: string[]) {
  const proc = spawn('sh', ['-c', `exec node ${BIN} start ${args.join(' ')} > sandbox.log 2>&1`], { cwd: dir, env, stdio: 'ignore' });
  return { proc, exited: new Promise<number | null>((r) => proc.once('exit', r)) };
}

test('a start that fails at once (its fixture folder is missing): health --port --wait says why, without waiting', async () => {
  const port = await freePort();
  const { exited } = background(['--port', String(port), '--fixtures', 'test/sandbox-fixtures']);
  const r = await cli(['health', '--port', String(port), '--wait', LONG_WAIT], { cwd: dir, env });
  expect(await exited).toBe(1);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    new RegExp(
      `sandbox: not healthy at http://127\\.0\\.0\\.1:${port}/__sandbox/health \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\): the sandbox started for it \\(pid \\d+\\) failed: invalid fixture or scenario: test/sandbox-fixtures: no such file or directory\\n$`,
    ),
  );
});

test('a sandbox that was ready, then killed: health --port-file --wait says it has exited', async () => {
  const { proc, exited } = background(['--port', '0', '--port-file', 'port']);
  const port = await eventually('the port file', () => {
    try {
      return Number(readFileSync(join(dir, 'port'), 'utf8')) || undefined;
    } catch {
      return undefined;
    }
  });
  expect((await cli(['health', '--port-file', 'port'], { cwd: dir, env })).stdout).toBe(`ok http://127.0.0.1:${port}\n`);
  proc.kill('SIGKILL');
  await exited;
  const r = await cli(['health', '--port-file', 'port', '--wait', LONG_WAIT], { cwd: dir, env });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    new RegExp(
      `sandbox: not healthy at http://127\\.0\\.0\\.1:${port}/__sandbox/health \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\): the sandbox started for it \\(pid ${proc.pid}\\) has exited \\(see its output\\)\\n$`,
    ),
  );
});

test('health --wait started before the sandbox says it is waiting, and answers once the sandbox is up', async () => {
  const port = await freePort();
  const health = spawn(process.execPath, [BIN, 'health', '--port', String(port), '--wait', LONG_WAIT], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let [stdout, stderr] = ['', ''];
  health.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  health.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const healthExited = new Promise<number | null>((r) => health.once('exit', r));
  // Only once it has said it waits (nothing listens yet) does the sandbox start.
  await eventually('health to say it is waiting', () => (stderr.includes('waiting up to') ? true : undefined));
  const { proc, exited } = background(['--port', String(port)]);
  try {
    expect(await healthExited).toBe(0);
    expect({ stdout, stderr }).toEqual({
      stdout: `ok http://127.0.0.1:${port}\n`,
      stderr: `waiting up to 600 s for the sandbox at http://127.0.0.1:${port} ...\n`,
    });
  } finally {
    proc.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});
