import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { alive, cli, freePort, sandboxEnv } from './support/cli.js';

/**
 * The run registry sits in a shared TMPDIR, where another local user could make the folder first and
 * write records naming any process of yours: a folder that is not private is refused, and `stop` signals
 * only a process that is itself a sandbox of this user (issue 24.5).
 */

let dir: string;
let env: NodeJS.ProcessEnv;
let registry: string;
let victim: ChildProcess;
let fake: Server | undefined;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
  registry = join(dir, `oauth-platform-sandbox-${process.getuid!()}`);
  // Any process of the user's that is not a sandbox.
  victim = spawn('sleep', ['600'], { stdio: 'ignore' });
});
afterEach(async () => {
  victim.kill('SIGKILL');
  await new Promise((r) => fake?.close(r) ?? r(undefined));
  fake = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const refusal = (why: string) =>
  `the run registry ${registry} ${why}; not using it: remove it (rm -r ${registry}) and run again, or set TMPDIR to a folder of your own`;

test('a registry folder open to others is refused by start and stop, and left as it was', async () => {
  mkdirSync(registry);
  chmodSync(registry, 0o777);
  const port = await freePort();
  const started = await cli(['start', '--port', String(port), '--quiet'], { cwd: dir, env });
  expect({ code: started.code, stderr: started.stderr }).toEqual({
    code: 1,
    stderr: `sandbox: ${refusal('is open to other users (mode 777, expected 700)')}\n`,
  });
  expect(await cli(['stop', '--port', String(port)], { cwd: dir, env })).toEqual({
    code: 1,
    stdout: '',
    stderr: `sandbox: ${refusal('is open to other users (mode 777, expected 700)')}\n`,
  });
});

test('a registry that is a link to somewhere else is refused', async () => {
  mkdirSync(join(dir, 'elsewhere'), { mode: 0o700 });
  symlinkSync(join(dir, 'elsewhere'), registry);
  const r = await cli(['start', '--port', '0', '--quiet'], { cwd: dir, env });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: `sandbox: ${refusal('is not a folder (a link?)')}\n` });
});

/** A record naming the victim, and a server that answers health as the sandbox of that record would. */
async function plantRecord(): Promise<number> {
  const startedAt = Date.now();
  fake = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'ok', uptimeSeconds: (Date.now() - startedAt) / 1000 }));
  });
  await new Promise<void>((r) => fake!.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(fake!.address() as { port: number }).port}`;
  const bound = await freePort();
  mkdirSync(registry, { mode: 0o700 });
  writeFileSync(
    join(registry, `${victim.pid}.json`),
    JSON.stringify({ pid: victim.pid, startedAt, state: 'ready', cwd: dir, host: '127.0.0.1', port: 0, url, boundPorts: [bound] }),
  );
  return bound;
}

test('stop --port never signals a process that is not a sandbox, whatever its record and the health answer say', async () => {
  const bound = await plantRecord();
  expect(await cli(['stop', '--port', String(bound)], { cwd: dir, env })).toEqual({
    code: 1,
    stdout: '',
    stderr: `sandbox: pid ${victim.pid} is not a sandbox started with "sandbox start" (its command line is something else); not stopping it\n`,
  });
  expect(alive(victim.pid!)).toBe(true);
});

test('stop by a pid file naming such a process does not signal it either', async () => {
  await plantRecord();
  writeFileSync(join(dir, '.sandbox.pid'), `${victim.pid}\n`);
  const r = await cli(['stop'], { cwd: dir, env });
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(`sandbox: pid ${victim.pid} is not a sandbox started with "sandbox start" (its command line is something else); not stopping it\n`);
  expect(alive(victim.pid!)).toBe(true);
});
