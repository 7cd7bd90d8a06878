import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, spawnSandbox, type Spawned } from '../helpers/cli.js';
import { APP, USER } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/** `sandbox start --shadow` as a user runs it (the built CLI). */

let real: TestSandbox;
const started: Spawned[] = [];
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shadow-cli-'));
  writeFileSync(join(dir, 'mantun.json'), JSON.stringify({ mantun: { errors: { invalid_credentials: { code: '20004', message: '用户名或密码错误' } } } }));
  real = await startTestSandbox({ seed: 'the-real-platform', fixtures: [join(dir, 'mantun.json')] });
});
afterAll(async () => {
  for (const s of started) await s.stop();
  await real?.close();
});

test('--shadow without --upstream stops start-up, saying what it needs', async () => {
  await expect(spawnSandbox(['start', '--port', '0', '--shadow'], 15_000)).rejects.toThrow(
    '--shadow works with --upstream <platform>=<base URL> only: it concerns the exchanges forwarded to a real platform.',
  );
});

test('--upstream … --shadow: another error text of the real platform is listed by GET /__sandbox/parity, with its setting', async () => {
  const s = await spawnSandbox(['start', '--port', '0', '--upstream', `mantun=${real.sb.url}`, '--shadow'], 15_000);
  started.push(s);
  const res = await fetch(`${s.url.replace(/\/$/, '')}/oauth/authverify2.as`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: 'wrong' }),
  });
  expect(JSON.parse(await res.text())).toEqual({ success: false, code: '20004', message: '用户名或密码错误' });
  const parity = await eventually('the comparison', async () => {
    const body = (await (await fetch(`${s.url.replace(/\/$/, '')}/__sandbox/parity`)).json()) as { compared: number; differences: { text: string }[] };
    return body.compared >= 1 ? body : undefined;
  });
  const fix = 'fixture mantun.errors.invalid_credentials: {"code":"20004","message":"用户名或密码错误"}';
  expect(parity.differences.map((d) => d.text)).toEqual([
    `mantun authverify2.as $.code: real "20004", sandbox "10004" — ${fix}`,
    `mantun authverify2.as $.message: real "用户名或密码错误", sandbox "uname or passwd is incorrect" — ${fix}`,
  ]);
  // A filter the journal refuses is refused here too, with its reason.
  const bad = await fetch(`${s.url.replace(/\/$/, '')}/__sandbox/parity?limit=lots`);
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: string }).error).toBe('invalid_request');
});
