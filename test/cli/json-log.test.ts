import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, cli, eventually, sandboxEnv } from './support/cli.js';

/** `--log-format json`: the log is JSON lines only, banner and errors included, so jq reads it whole. */

const sh = promisify(execFile);
let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a CI run: start in the background into sandbox.log, requests, stop; jq reads every line', async () => {
  await sh('sh', ['-c', `node ${BIN} start --detach --port 0 --port-file port --log-format json`], { cwd: dir, env });
  const port = readFileSync(join(dir, 'port'), 'utf8').trim();
  const base = `http://127.0.0.1:${port}`;
  await fetch(`${base}/oauth/authverify2.as`, {
    method: 'POST',
    body: new URLSearchParams({
      response_type: 'code',
      client_id: 'O000000049',
      redirect_uri: 'http://you-domain/xxx.jsp',
      uname: '13800000000',
      passwd: 'sandbox123',
    }),
  });
  await eventually('the request line in the log', () => (readFileSync(join(dir, 'sandbox.log'), 'utf8').includes('"msg":"request"') ? true : undefined));
  expect((await cli(['stop'], { cwd: dir, env })).code).toBe(0);

  // jq exits non-zero on the first line that is not JSON.
  const { stdout } = await sh('sh', ['-c', "jq -c '[.level, .msg, .event // .endpoint]' sandbox.log"], { cwd: dir });
  expect(stdout.trim().split('\n')).toEqual([
    `[30,"Sandbox ready at ${base} (pid ${JSON.parse(readFileSync(join(dir, 'sandbox.log'), 'utf8').split('\n')[0]).pid})","ready"]`,
    '[30,"request","authverify2.as"]',
    '[30,"stopping (finishing in-flight requests)","stopping"]',
  ]);
  const ready = JSON.parse(readFileSync(join(dir, 'sandbox.log'), 'utf8').split('\n')[0]);
  expect(ready).toMatchObject({ url: base, dashboard: `${base}/__sandbox/`, scenarios: [] });
  expect(ready.platforms.map((p: { id: string }) => p.id)).toEqual(['mantun', 'usercenter', 'sop', 'zjrc']);
  expect(ready.platforms[0].credentials).toContainEqual({ label: 'appKey (client_id)', value: 'O000000049' });
});

test('a refusal is a JSON line too', async () => {
  const r = await cli(['start', '--port', '0', '--log-format', 'json', '--fixtures', 'nope'], { cwd: dir, env });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(JSON.parse(r.stderr)).toMatchObject({ level: 50, msg: 'invalid fixture or scenario: nope: no such file or directory' });
  const bad = await cli(['start', '--log-format', 'json', '--port', 'abc'], { cwd: dir, env });
  expect(bad.code).toBe(2);
  expect(JSON.parse(bad.stderr)).toMatchObject({ level: 50, msg: '--port abc: expected a port number from 0 to 65535 (0 picks a free one)' });
});
