import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mantunClientSecret, mantunSign, mantunTimestamp } from '../../src/index.js';
import { spawnSandbox } from '../helpers/cli.js';
import { APP, form, USER } from '../helpers/mantun.js';
import { createRandom } from '../../src/core/random/seeded-random.js';

const KILLS = 5;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-crash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function post(url: string, params: Record<string, string>): Promise<Record<string, any>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(params) });
  return (await res.json()) as Record<string, any>;
}

/** One full code → token exchange; resolves to the access token, or undefined if the server died mid-way. */
async function exchange(base: string): Promise<string | undefined> {
  try {
    const auth = await post(`${base}/oauth/authverify2.as`, {
      response_type: 'code',
      client_id: APP.appKey,
      redirect_uri: APP.redirectUri,
      uname: USER.uname,
      passwd: USER.passwd,
    });
    const tok = await post(`${base}/oauth/token.as`, {
      client_id: APP.appKey,
      client_secret: mantunClientSecret(APP.appKey, 'authorization_code', APP.redirectUri, auth.code, APP.appSecret),
      grant_type: 'authorization_code',
      redirect_uri: APP.redirectUri,
      code: auth.code,
    });
    return tok.data?.accessToken as string | undefined;
  } catch {
    return undefined;
  }
}

async function works(base: string, token: string): Promise<boolean> {
  const params: Record<string, string> = { client_id: APP.appKey, method: 'GET_PROJECTS', access_token: token, timestamp: mantunTimestamp(Date.now()) };
  params.sign = mantunSign(params, APP.appSecret);
  return (await post(`${base}/invoke/router.as`, params)).success === true;
}

describe('crash safety with --db', () => {
  test(`SIGKILL at random moments under load (${KILLS} kills): every token a client received still works, the file always parses`, async () => {
    const db = join(dir, 'state.json');
    const random = createRandom('crash-safety');
    const received: string[] = [];
    for (let round = 0; round < KILLS; round++) {
      const sb = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
      let stop = false;
      const workers = Array.from({ length: 8 }, async () => {
        while (!stop) {
          const token = await exchange(sb.url);
          if (token && !stop) received.push(token);
          else if (!token) return;
        }
      });
      await new Promise((r) => setTimeout(r, 150 + Math.floor(random.next() * 450)));
      // A response only leaves after its token is written, so even tokens received while the kill lands must survive.
      sb.proc.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
      if (sb.proc.exitCode === null && sb.proc.signalCode === null) await new Promise((r) => sb.proc.once('exit', r));
      expect(() => JSON.parse(readFileSync(db, 'utf8'))).not.toThrow();
    }
    expect(received.length).toBeGreaterThan(KILLS);
    const check = await spawnSandbox(['start', '--port', '0', '--quiet', '--db', db]);
    try {
      const results = await Promise.all(received.map((t) => works(check.url, t)));
      expect(results.filter((ok) => !ok)).toEqual([]);
      // The figures docs/reliability.md quotes.
      process.stdout.write(`crash-safety: ${KILLS} kills survived, ${received.length} tokens checked\n`);
    } finally {
      expect(await check.stop()).toBe(0);
    }
  }, 90_000);
});
