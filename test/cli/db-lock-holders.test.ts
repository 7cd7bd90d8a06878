import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { getTokensAt } from '../helpers/mantun.js';
import { BIN, cli, eventually, sandboxEnv, startSandbox } from './support/cli.js';

/**
 * The --db lock after its holder died where the pid alone cannot tell (issue 24.4): a holder that is a
 * zombie nobody reaps (a container's PID 1), and a holder on another host name (a container recreated
 * after a crash, simulated with a UTS namespace of its own: `unshare -u`, which needs root or CAP_SYS_ADMIN).
 */

let dir: string;
let env: NodeJS.ProcessEnv;
const started: ChildProcess[] = [];
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => {
  for (const p of started.splice(0)) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const lockOf = (db: string) => JSON.parse(readFileSync(`${db}.lock`, 'utf8')) as { pid: number; host: string };
const stateOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
  } catch {
    return undefined;
  }
};

/** `sandbox start --db` under `sh -c`, whose shell runs it and reaps what it wants. */
async function holder(db: string, shell: string, prefix: string[] = []): Promise<{ url: string; pid: number; proc: ChildProcess }> {
  const [command, ...args] = [...prefix, 'sh', '-c', shell];
  const p = spawn(command, args, {
    cwd: dir,
    env: { ...env, DB: db, BIN, NODE: process.execPath },
    stdio: 'ignore',
  });
  started.push(p);
  const port = await eventually('the holder to write its port', () => {
    try {
      return Number(readFileSync(join(dir, 'port'), 'utf8')) || undefined;
    } catch {
      return undefined;
    }
  });
  return { url: `http://127.0.0.1:${port}`, pid: lockOf(db).pid, proc: p };
}

test('a holder killed while its parent never reaps it (a zombie) leaves a lock the next start takes over', async () => {
  const db = join(dir, 'zl.json');
  // The sandbox's parent becomes `sleep`, which never waits for it: once killed it stays a zombie.
  const a = await holder(db, '"$NODE" "$BIN" start --port 0 --port-file port --quiet --db "$DB" & exec sleep 600');
  const { accessToken } = await getTokensAt(a.url);
  process.kill(a.pid, 'SIGKILL');
  await eventually('the killed holder to be a zombie', () => (stateOf(a.pid) === 'Z' ? true : undefined));
  const b = await startSandbox(['--port', '0', '--db', db], { cwd: dir, env });
  try {
    expect(stateOf(a.pid)).toBe('Z');
    expect(b.output()).toContain(`warning: ${db}: took over the lock of pid ${a.pid}, which is no longer running (it stopped without releasing ${db}.lock).`);
    const listed = (await (await fetch(`${b.url}/__sandbox/tokens?kind=access`)).json()) as { tokens: { value: string }[] };
    expect(listed.tokens.map((x) => x.value)).toEqual([accessToken]);
  } finally {
    expect(await b.stop()).toBe(0);
  }
});

test('a holder on another host name: refused while its heartbeat is fresh, taken over once it has been silent 30 s', async () => {
  const db = join(dir, 'other-host.json');
  const a = await holder(db, 'hostname container-a1b2 && exec "$NODE" "$BIN" start --port 0 --port-file port --quiet --db "$DB"', ['unshare', '-u']);
  expect(lockOf(db).host).toBe('container-a1b2');
  const { accessToken } = await getTokensAt(a.url);

  // The holder touches its lock: set a minute back, it is fresh again within a heartbeat.
  const old = new Date(Date.now() - 60_000);
  utimesSync(`${db}.lock`, old, old);
  await eventually('the heartbeat to touch the lock', () => (Date.now() - statSync(`${db}.lock`).mtimeMs < 10_000 ? true : undefined), 10_000);
  const refused = await cli(['start', '--port', '0', '--db', db], { cwd: dir, env });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(
    new RegExp(
      `^sandbox: ${db.replace(/[.]/g, '\\.')}: in use by pid ${a.pid} on host container-a1b2 \\(lock file .*, last heartbeat \\d s ago\\); stop that sandbox, or if it is gone wait: a lock from another host is taken over after 30 s without a heartbeat`,
    ),
  );

  // The container is gone (SIGKILL): nothing touches the lock any more. 31 s later it looks like this.
  expect(a.proc.pid).toBe(a.pid);
  const gone = new Promise((r) => a.proc.once('exit', r));
  a.proc.kill('SIGKILL');
  await gone;
  const silent = new Date(Date.now() - 31_000);
  utimesSync(`${db}.lock`, silent, silent);
  const b = await startSandbox(['--port', '0', '--db', db], { cwd: dir, env });
  try {
    expect(b.output()).toContain(`warning: ${db}: took over the lock of pid ${a.pid} on host container-a1b2, whose last heartbeat was `);
    expect(b.output()).toMatch(/whose last heartbeat was 3\d s ago \(a running holder touches .* every 5 s\)\.\n/);
    const listed = (await (await fetch(`${b.url}/__sandbox/tokens?kind=access`)).json()) as { tokens: { value: string }[] };
    expect(listed.tokens.map((x) => x.value)).toEqual([accessToken]);
  } finally {
    expect(await b.stop()).toBe(0);
  }
}, 60_000);
