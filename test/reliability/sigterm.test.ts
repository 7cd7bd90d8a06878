import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mantunSign, mantunTimestamp } from '../../src/index.js';
import { eventually, spawnSandbox } from '../helpers/cli.js';
import { APP, form, tokenParams, USER } from '../helpers/mantun.js';

/**
 * SIGTERM (docker stop, Ctrl-C in CI, a process manager) lets every request already received finish,
 * without waiting out fault delays: a token exchange held by a 10-minute delay rule gets its answer at
 * once, its token is on disk, the process exits 0, and no new connection is accepted meanwhile.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-sigterm-'));
  writeFileSync(
    join(dir, 'slow-token.json'),
    JSON.stringify({ name: 'slow-token', faults: [{ id: 'slow', endpoint: 'token.as', respond: { delay: '10m' } }] }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function post(url: string, params: Record<string, string>): Promise<Record<string, any>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(params) });
  return (await res.json()) as Record<string, any>;
}

const code = async (base: string): Promise<string> =>
  (
    await post(`${base}/oauth/authverify2.as`, {
      response_type: 'code',
      client_id: APP.appKey,
      redirect_uri: APP.redirectUri,
      uname: USER.uname,
      passwd: USER.passwd,
    })
  ).code as string;

test('SIGTERM during five token exchanges held by a 10-minute delay: all five answered at once, tokens kept, exit 0', async () => {
  const db = join(dir, 'state.json');
  const sb = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db, '--scenario', join(dir, 'slow-token.json')]);
  const exited = new Promise<number | null>((resolve) => sb.proc.once('exit', (c) => resolve(c)));
  const codes = await Promise.all(Array.from({ length: 5 }, () => code(sb.url)));
  const inFlight = codes.map((c) => post(`${sb.url}/oauth/token.as`, tokenParams(c)));
  // The journal records an exchange before its held answer leaves: all five are in the server now.
  await eventually('five token.as exchanges held by the delay rule', async () => {
    const res = await fetch(`${sb.url}/__sandbox/requests?endpoint=token.as`);
    const held = ((await res.json()) as { requests: unknown[] }).requests.length;
    return held === 5 ? held : undefined;
  });
  sb.proc.kill('SIGTERM');
  // The listener is closed at once: a new client is turned away while the old ones are served.
  await eventually('the listener to close', () =>
    fetch(`${sb.url}/__sandbox/health`).then(
      () => undefined,
      () => true,
    ),
  );

  // Held for 10 minutes, answered once the sandbox stops: the test's own 30 s budget is the bound.
  const answers = await Promise.all(inFlight);
  expect(answers.map((a) => a.success)).toEqual([true, true, true, true, true]);
  expect(await exited).toBe(0);
  expect(sb.output()).toContain('SIGTERM: stopping (finishing in-flight requests)');

  const again = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
  try {
    for (const a of answers) {
      const params: Record<string, string> = {
        client_id: APP.appKey,
        method: 'GET_PROJECTS',
        access_token: a.data.accessToken,
        timestamp: mantunTimestamp(Date.now()),
      };
      params.sign = mantunSign(params, APP.appSecret);
      expect((await post(`${again.url}/invoke/router.as`, params)).success).toBe(true);
    }
  } finally {
    expect(await again.stop()).toBe(0);
  }
}, 30_000);

test('SIGTERM with no request in flight exits 0 at once, even with idle keep-alive connections open', async () => {
  const sb = await spawnSandbox(['start', '--port', '0', '--quiet']);
  await code(sb.url);
  const t0 = Date.now();
  expect(await sb.stop()).toBe(0);
  expect(Date.now() - t0).toBeLessThan(5000);
});
