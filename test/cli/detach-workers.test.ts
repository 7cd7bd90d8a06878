import { existsSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { alive, cli, listening, sandboxEnv, startSandbox } from './support/cli.js';

/** `--workers N` with --detach, and the primary's pid file and run record (issue 24.6). */

let redis: RedisServer;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  redis = await startRedis();
}, 20_000);
afterAll(() => redis.stop());
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
let afterCleanup: (() => void) | undefined;
afterEach(() => {
  afterCleanup?.();
  afterCleanup = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** The pid of the worker that answers, on a new connection each time so that the cluster spreads them. */
const healthPid = (base: string): Promise<number> =>
  new Promise((resolve, reject) => {
    get(`${base}/__sandbox/health`, { agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve((JSON.parse(text) as { pid: number }).pid));
    }).on('error', reject);
  });

const record = (pid: number) =>
  JSON.parse(readFileSync(join(dir, `oauth-platform-sandbox-${process.getuid!()}`, `${pid}.json`), 'utf8')) as { state: string; url: string };

test('start --detach --workers 2: ready in the background with both workers serving; stop ends them all', async () => {
  const r = await cli(['start', '--detach', '--workers', '2', '--port', '0', '--port-file', 'port', '--quiet', '--store', redis.url], { cwd: dir, env });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const pid = Number(readFileSync(join(dir, '.sandbox.pid'), 'utf8'));
  const port = Number(readFileSync(join(dir, 'port'), 'utf8'));
  const url = `http://127.0.0.1:${port}`;
  expect(r.stdout).toMatch(new RegExp(`^Sandbox ready at ${url} \\(pid ${pid}, in the background\\)\\n`));
  expect(record(pid)).toMatchObject({ state: 'ready', url });
  const pids = new Set<number>();
  for (let i = 0; i < 40 && pids.size < 2; i++) pids.add(await healthPid(url));
  expect(pids.size).toBe(2);
  expect(pids.has(pid)).toBe(false);
  // They keep serving after the starter has gone (a worker that believed it was the detached child ended here).
  await new Promise((res) => setTimeout(res, 1500));
  expect([...pids].map(alive)).toEqual([true, true]);
  expect(readFileSync(join(dir, 'sandbox.log'), 'utf8')).toContain('npx sandbox stop (from this folder, or with --port)');

  expect(await cli(['stop'], { cwd: dir, env })).toEqual({ code: 0, stdout: `stopped the sandbox at ${url} (pid ${pid})\n`, stderr: '' });
  expect([alive(pid), ...[...pids].map(alive)]).toEqual([false, false, false]);
  expect(await listening(port)).toBe(false);
  expect([existsSync(join(dir, '.sandbox.pid')), existsSync(join(dir, 'port'))]).toEqual([false, false]);
}, 60_000);

test('in the foreground the primary writes its pid file and run record, and stop --pid-file ends it', async () => {
  const sb = await startSandbox(['--workers', '2', '--port', '0', '--pid-file', 'sb.pid', '--quiet', '--store', redis.url], { cwd: dir, env });
  // Whatever fails below, the sandbox does not outlive the test.
  afterCleanup = () => sb.proc.kill('SIGKILL');
  expect(readFileSync(join(dir, 'sb.pid'), 'utf8')).toBe(`${sb.proc.pid}\n`);
  expect(record(sb.proc.pid!)).toMatchObject({ state: 'ready', url: sb.url });
  expect(await cli(['stop', '--pid-file', 'sb.pid'], { cwd: dir, env })).toEqual({
    code: 0,
    stdout: `stopped the sandbox at ${sb.url} (pid ${sb.proc.pid})\n`,
    stderr: '',
  });
  expect(sb.proc.exitCode ?? (await sb.exited)).toBe(0);
  expect(existsSync(join(dir, 'sb.pid'))).toBe(false);
}, 60_000);
