import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { alive, cli, eventually, listening, sandboxEnv, startSandbox } from './support/cli.js';

/** `start --detach` returns once ready or failed; `stop` ends it, by pid file or by port. */

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('start --detach: exit 0 once ready, URL and pid printed, pid and port files written; stop ends it and removes them', async () => {
  const r = await cli(['start', '--detach', '--port', '0', '--port-file', 'port'], { cwd: dir, env });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const pid = Number(readFileSync(join(dir, '.sandbox.pid'), 'utf8'));
  const port = Number(readFileSync(join(dir, 'port'), 'utf8'));
  expect(r.stdout).toBe(
    [
      `Sandbox ready at http://127.0.0.1:${port} (pid ${pid}, in the background)`,
      `dashboard      http://127.0.0.1:${port}/__sandbox/`,
      'log            sandbox.log (credentials and base URLs are at its top)',
      'pid file       .sandbox.pid',
      'stop it with   npx sandbox stop',
      '',
    ].join('\n'),
  );
  expect(alive(pid)).toBe(true);
  expect((await fetch(`http://127.0.0.1:${port}/__sandbox/health`)).status).toBe(200);
  expect(readFileSync(join(dir, 'sandbox.log'), 'utf8')).toContain(`Sandbox ready at http://127.0.0.1:${port}\n`);

  const stopped = await cli(['stop'], { cwd: dir, env });
  expect(stopped).toEqual({ code: 0, stdout: `stopped the sandbox at http://127.0.0.1:${port} (pid ${pid})\n`, stderr: '' });
  expect(alive(pid)).toBe(false);
  expect(await listening(port)).toBe(false);
  expect([existsSync(join(dir, '.sandbox.pid')), existsSync(join(dir, 'port'))]).toEqual([false, false]);
  expect(readFileSync(join(dir, 'sandbox.log'), 'utf8')).toContain('SIGTERM: stopping (finishing in-flight requests)\n');
});

test('start --detach that cannot start: exit 1 with the real error, no pid file left', async () => {
  const r = await cli(['start', '--detach', '--port', '0', '--fixtures', 'test/sandbox-fixtures'], { cwd: dir, env });
  expect(r).toEqual({
    code: 1,
    stdout: '',
    stderr: 'sandbox: invalid fixture or scenario: test/sandbox-fixtures: no such file or directory; its log: sandbox.log\n',
  });
  expect(existsSync(join(dir, '.sandbox.pid'))).toBe(false);
});

test('a second start --detach from the same folder is refused while the first runs', async () => {
  expect((await cli(['start', '--detach', '--port', '0'], { cwd: dir, env })).code).toBe(0);
  const pid = Number(readFileSync(join(dir, '.sandbox.pid'), 'utf8'));
  try {
    const again = await cli(['start', '--detach', '--port', '0'], { cwd: dir, env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      new RegExp(
        `^sandbox: a sandbox started from ${join(dir, '.sandbox.pid')} is still running \\(pid ${pid}, http://127\\.0\\.0\\.1:\\d+\\); stop it first with "sandbox stop"\\n$`,
      ),
    );
    expect(readFileSync(join(dir, 'sandbox.log'), 'utf8')).toContain('Sandbox ready at');
  } finally {
    expect((await cli(['stop'], { cwd: dir, env })).code).toBe(0);
  }
});

test('stop --port ends a sandbox started in the foreground, and waits until it has exited', async () => {
  const sb = await startSandbox(['--port', '0', '--quiet'], { cwd: dir, env });
  const port = Number(new URL(sb.url).port);
  const r = await cli(['stop', '--port', String(port)], { cwd: dir, env });
  expect(r).toEqual({ code: 0, stdout: `stopped the sandbox at ${sb.url} (pid ${sb.proc.pid})\n`, stderr: '' });
  expect(sb.proc.exitCode ?? (await sb.exited)).toBe(0);
});

test('stop with nothing to stop says what it looked for; a stale pid file is cleaned up', async () => {
  expect(await cli(['stop'], { cwd: dir, env })).toEqual({
    code: 1,
    stdout: '',
    stderr: `sandbox: no .sandbox.pid here (${dir}): nothing was started with "sandbox start --detach" from this folder; name the sandbox with --pid-file or --port\n`,
  });
  const sb = await startSandbox(['--port', '0', '--quiet', '--pid-file', 'old.pid'], { cwd: dir, env });
  sb.proc.kill('SIGKILL');
  await sb.exited;
  await eventually('the killed sandbox to be gone', () => (alive(sb.proc.pid!) ? undefined : true));
  expect(await cli(['stop', '--pid-file', 'old.pid'], { cwd: dir, env })).toEqual({
    code: 0,
    stdout: `nothing to stop: pid ${sb.proc.pid} (from ${join(dir, 'old.pid')}) is not running; removed the stale pid file\n`,
    stderr: '',
  });
  expect(existsSync(join(dir, 'old.pid'))).toBe(false);
});
