import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxEnv, startSandbox } from './support/cli.js';

/**
 * A sandbox.config.json in the working folder is read without being named (issue 24.12): the banner names
 * it and where the sandbox really listens, and a non-loopback host that no flag asked for, or a short admin
 * token on one, is warned about.
 */

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a planted config file binding 0.0.0.0 with a known token: named, the real address shown, both warned about', async () => {
  writeFileSync(join(dir, 'sandbox.config.json'), JSON.stringify({ host: '0.0.0.0', 'admin-token': 'attacker', 'allowed-hosts': ['all'], port: 0 }));
  const sb = await startSandbox(['--quiet'], { cwd: dir, env });
  try {
    const port = new URL(sb.url).port;
    const out = sb.output();
    expect(out).toContain(
      'warning: --host 0.0.0.0 comes from sandbox.config.json, not from a flag: the sandbox is reachable from other machines. Pass --host 0.0.0.0 to mean it, or --host 127.0.0.1 to keep it on this machine.\n',
    );
    expect(out).toContain(
      'warning: the admin token from sandbox.config.json has 8 characters, on --host 0.0.0.0 where other machines reach the control plane: use 16 or more, or leave it out and use the one the sandbox makes up.\n',
    );
    expect(out).toContain(`\nlistening on   0.0.0.0:${port}: reachable from other machines\n`);
    expect(out).toContain('\nconfig file    sandbox.config.json (options read from it)\n');
  } finally {
    expect(await sb.stop()).toBe(0);
  }
});

test('from the environment the warning names the variable; a flag and a long token say nothing', async () => {
  const fromEnv = await startSandbox(['--port', '0', '--quiet'], { cwd: dir, env: { ...env, SANDBOX_HOST: '0.0.0.0' } });
  try {
    expect(fromEnv.output()).toContain('warning: --host 0.0.0.0 comes from SANDBOX_HOST in the environment, not from a flag');
    expect(fromEnv.output()).not.toContain('config file');
  } finally {
    expect(await fromEnv.stop()).toBe(0);
  }
  const asked = await startSandbox(['--host', '0.0.0.0', '--port', '0', '--quiet', '--admin-token', 'a-long-enough-token-1234'], { cwd: dir, env });
  try {
    expect(asked.output()).not.toContain('warning:');
    expect(asked.output()).toContain(`\nlistening on   0.0.0.0:${new URL(asked.url).port}: reachable from other machines\n`);
  } finally {
    expect(await asked.stop()).toBe(0);
  }
});

test('on loopback nothing changes: no address row, no warning, even with a short token', async () => {
  const sb = await startSandbox(['--port', '0', '--quiet', '--admin-token', 'short'], { cwd: dir, env });
  try {
    expect(sb.output()).not.toContain('warning:');
    expect(sb.output()).not.toContain('listening on');
  } finally {
    expect(await sb.stop()).toBe(0);
  }
});
