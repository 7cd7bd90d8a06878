import { chmodSync, existsSync, lstatSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, sandboxEnv, startSandbox } from './support/cli.js';

/** The log, pid and port files: never written through a link someone planted, and the log (it holds the admin token) private. */

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const PRECIOUS = 'keep me\n';

test('a sandbox.log that is a link: start --detach refuses, and the link target is unchanged', async () => {
  writeFileSync(join(dir, 'precious.txt'), PRECIOUS);
  symlinkSync('precious.txt', join(dir, 'sandbox.log'));
  expect(await cli(['start', '--detach', '--port', '0'], { cwd: dir, env })).toEqual({
    code: 2,
    stdout: '',
    stderr: `sandbox: --log-file ${join(dir, 'sandbox.log')} is a symbolic link; the sandbox does not write through links: remove it, or name another file\n`,
  });
  expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe(PRECIOUS);
  expect(existsSync(join(dir, '.sandbox.pid'))).toBe(false);
});

test('a .sandbox.pid that is a link: the sandbox does not start, the target is unchanged, the link stays', async () => {
  writeFileSync(join(dir, 'precious2.txt'), PRECIOUS);
  symlinkSync('precious2.txt', join(dir, '.sandbox.pid'));
  const r = await cli(['start', '--detach', '--port', '0'], { cwd: dir, env });
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    `sandbox: --pid-file ${join(dir, '.sandbox.pid')} is a symbolic link; the sandbox does not write through links: remove it, or name another file; its log: sandbox.log\n`,
  );
  expect(readFileSync(join(dir, 'precious2.txt'), 'utf8')).toBe(PRECIOUS);
  expect(lstatSync(join(dir, '.sandbox.pid')).isSymbolicLink()).toBe(true);
});

test('a --port-file that is a link: the link is replaced by the port file, its target is unchanged', async () => {
  writeFileSync(join(dir, 'precious3.txt'), PRECIOUS);
  symlinkSync('precious3.txt', join(dir, 'port'));
  const sb = await startSandbox(['--port', '0', '--port-file', 'port', '--quiet'], { cwd: dir, env });
  try {
    expect(lstatSync(join(dir, 'port')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dir, 'port'), 'utf8')).toBe(`${new URL(sb.url).port}\n`);
    expect(readFileSync(join(dir, 'precious3.txt'), 'utf8')).toBe(PRECIOUS);
  } finally {
    expect(await sb.stop()).toBe(0);
  }
});

test('the detached log and the pid file are readable by their owner only, also over a log an earlier run left 0644', async () => {
  writeFileSync(join(dir, 'sandbox.log'), 'old\n');
  chmodSync(join(dir, 'sandbox.log'), 0o644);
  expect(
    (await cli(['start', '--detach', '--port', '0', '--host', '127.0.0.1', '--admin-token', 'a-token-of-thirty-two-characters'], { cwd: dir, env })).code,
  ).toBe(0);
  try {
    expect(statSync(join(dir, 'sandbox.log')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, '.sandbox.pid')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'sandbox.log'), 'utf8')).not.toContain('old\n');
  } finally {
    expect((await cli(['stop'], { cwd: dir, env })).code).toBe(0);
  }
});
