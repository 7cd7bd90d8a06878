import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { alive, BIN, eventually, sandboxEnv } from './support/cli.js';

const exec = promisify(execFile);

/**
 * A starter that ends while the sandbox is still starting (a CI step cancelled, a test runner's timeout on a
 * busy machine): by the time the server listens, the sandbox has been handed to init, and the chain of
 * processes it runs under no longer names the one that started it. It used to keep serving, orphaned, for good.
 */
test('the process that started it ends while it loads its fixtures: it stops once it is up, saying why', async () => {
  const { dir, env } = sandboxEnv();
  try {
    // 150 000 users take the sandbox a second or more to validate: time enough for its starter to go first.
    const users = Array.from({ length: 150_000 }, (_, i) => ({ userId: `u${i}`, userCode: `user${i}`, userName: `User ${i}`, password: 'sandbox123' }));
    writeFileSync(join(dir, 'usercenter.json'), JSON.stringify({ usercenter: { clients: [{ clientId: '23', sysid: 'aaaa' }], users } }));
    // sh starts the sandbox in the background, waits for its "starting" record (the command line has loaded and
    // is reading the fixtures), prints its pid and exits, long before the server listens.
    const script = `node ${BIN} start --port 0 --fixtures usercenter.json > sandbox.log 2>&1 &
pid=$!
until ls "$TMPDIR"/oauth-platform-sandbox-*/$pid.json >/dev/null 2>&1; do sleep 0.02; done
echo $pid`;
    const { stdout } = await exec('sh', ['-c', script], { cwd: dir, env, timeout: 30_000 });
    const pid = Number(stdout.trim());
    expect(pid).toBeGreaterThan(1);
    await eventually(`the orphaned sandbox (pid ${pid}) to stop`, () => (alive(pid) ? undefined : true), 40_000);
    const log = readFileSync(join(dir, 'sandbox.log'), 'utf8');
    expect(log).toMatch(/Sandbox ready at http:\/\/127\.0\.0\.1:\d+\n/);
    expect(log).toMatch(/the parent process \(pid \d+\), which started the sandbox, has ended: stopping \(finishing in-flight requests\)\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
