import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../../src/sandbox.js';
import { spawnSandbox, type Spawned } from '../helpers/cli.js';
import { getTokensAt } from '../helpers/mantun.js';
import { healthAnswers } from '../security/hostile.js';

/**
 * Review finding M1: two sandboxes on one --db file ran side by side, and the last to stop overwrote
 * the other's tokens. Now the second is refused, naming the file and the holder's pid; a holder that
 * crashed does not leave the file locked.
 */

let dir: string;
const running: Spawned[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-db-lock-'));
});
afterEach(() => {
  for (const s of running.splice(0)) if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(db: string): Promise<Spawned> {
  const s = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
  running.push(s);
  return s;
}

/** A second start on the same file must end, with exit code 1 and one line naming the holder. */
async function refusedStart(db: string): Promise<string> {
  const second = spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
  const outcome = await second.then(
    (s) => {
      running.push(s);
      return `started at ${s.url}`;
    },
    (e: Error) => e.message,
  );
  return outcome;
}

test('a second sandbox on a file a live one holds is refused, naming the file and the pid; the first keeps its tokens', async () => {
  const db = join(dir, 'two.json');
  const a = await start(db);
  const before = await getTokensAt(a.url);
  const second = await refusedStart(db);
  expect(second).toContain('sandbox exited with 1 before it was ready');
  expect(second).toMatch(
    new RegExp(
      `sandbox: ${db}: in use by another sandbox \\(pid ${a.proc.pid}, started \\d{4}-.+\\): two sandboxes on one --db file overwrite each other's tokens\\. Stop that one, or pass another --db path\\. \\(Lock file: ${db}\\.lock\\.\\)`,
    ),
  );
  await healthAnswers(a.url);
  const after = await getTokensAt(a.url);
  expect(await a.stop()).toBe(0);
  // A clean stop gives the lock up, and every token of the one sandbox is there.
  expect(existsSync(`${db}.lock`)).toBe(false);
  const again = await start(db);
  const listed = (await (await fetch(`${again.url}/__sandbox/tokens?kind=access`)).json()) as { tokens: { value: string }[] };
  expect(listed.tokens.map((x) => x.value).sort()).toEqual([before.accessToken, after.accessToken].sort());
  expect(await again.stop()).toBe(0);
});

test('a holder that crashed (SIGKILL) does not leave the file locked: the next start takes over, saying so', async () => {
  const db = join(dir, 'crashed.json');
  const a = await start(db);
  const { accessToken } = await getTokensAt(a.url);
  const pid = a.proc.pid;
  a.proc.kill('SIGKILL');
  await new Promise((resolve) => a.proc.once('exit', resolve));
  expect(JSON.parse(readFileSync(`${db}.lock`, 'utf8')).pid).toBe(pid);
  const b = await start(db);
  expect(b.output()).toContain(`warning: ${db}: took over the lock of pid ${pid}, which is no longer running (it stopped without releasing ${db}.lock).`);
  const listed = (await (await fetch(`${b.url}/__sandbox/tokens?kind=access`)).json()) as { tokens: { value: string }[] };
  expect(listed.tokens.map((x) => x.value)).toEqual([accessToken]);
  expect(await b.stop()).toBe(0);
});

test('a lock naming a pid that now runs another program is stale too; one from another host with a fresh heartbeat is not taken over', async () => {
  const db = join(dir, 'reused.json');
  // Our own parent (jest's worker) runs, but not as the process that wrote this lock (another start time).
  writeFileSync(`${db}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), started: '2020-01-01T00:00:00.000Z', procStart: '1' }));
  const b = await start(db);
  expect(b.output()).toContain(`took over the lock of pid ${process.ppid}`);
  expect(await b.stop()).toBe(0);
  writeFileSync(`${db}.lock`, JSON.stringify({ pid: 12345, host: 'build-agent-7', started: '2020-01-01T00:00:00.000Z' }));
  const refused = await refusedStart(db);
  expect(refused).toContain(`sandbox: ${db}: in use by pid 12345 on host build-agent-7 (lock file ${db}.lock, last heartbeat `);
  expect(refused).toContain(
    ` s ago); stop that sandbox, or if it is gone wait: a lock from another host is taken over after 30 s without a heartbeat (or delete ${db}.lock, or pass another --db path).`,
  );
});

test('in one process too: a second Sandbox on the same file is refused until the first closes', async () => {
  const db = join(dir, 'in-process.json');
  const first = await Sandbox.create({ port: 0, db });
  await expect(Sandbox.create({ port: 0, db })).rejects.toThrow(
    `${db}: in use by another sandbox in this process (pid ${process.pid}): two sandboxes on one --db file overwrite each other's tokens. Close that one first, or pass another --db path.`,
  );
  await first.close();
  const second = await Sandbox.create({ port: 0, db });
  await second.close();
  expect(existsSync(`${db}.lock`)).toBe(false);
});
