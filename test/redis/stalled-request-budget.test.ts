import { startSandbox, type RunningSandbox } from '../../src/index.js';
import { APP, form, tokenParams, USER } from '../helpers/mantun.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { stallRedis } from './stall.js';

/**
 * Audit finding N9: with Redis stalled, a platform request waited out the 2 s command timeout once per
 * step (the world sync, then the journal write, ...): 4 to 6 s against the documented 2 s. A request now
 * has one 2 s budget for all it asks of the store, so the platform's "busy" answer arrives within it.
 */

let redis: RedisServer;
let sb: RunningSandbox;
beforeAll(async () => {
  redis = await startRedis({ args: ['--enable-debug-command', 'yes'] });
  sb = await startSandbox({ port: 0, logLevel: 'silent', store: redis.url, storePrefix: 'budget:' });
}, 30_000);
afterAll(async () => {
  await sb?.close();
  await redis?.stop();
});

const BUSY = { success: false, code: '10099', message: 'service is busy, try again later' };
/** The documented bound (docs/reliability.md), with room for a loaded machine; the old code took 4 s and more. */
const BOUND_MS = 2000 + 900;

/** POST a Mantun form as its SDK does, timing the whole exchange. */
async function post(path: string, params: Record<string, string>): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  const res = await fetch(`${sb.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form(params),
    signal: AbortSignal.timeout(15_000),
  });
  const body: unknown = JSON.parse(await res.text());
  return { ms: performance.now() - started, body };
}

const login = () =>
  post('/oauth/authverify2.as', { response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: USER.passwd });

test('a login and a code exchange on a stalled Redis each answer "busy" within the 2 s budget; service resumes after', async () => {
  const before = await login();
  // authverify2.as answers its code at the top level, with success as the text "true".
  expect(before.body).toMatchObject({ success: 'true' });
  const code = (before.body as { code: string }).code;
  expect(code).toMatch(/^[0-9a-f]{32}$/);

  const held = stallRedis(redis.port, 6);
  await new Promise((r) => setTimeout(r, 200));
  const [stalledLogin, stalledExchange] = await Promise.all([login(), post('/oauth/token.as', tokenParams(code))]);
  expect(stalledLogin.body).toEqual(BUSY);
  expect(stalledExchange.body).toEqual(BUSY);
  expect(stalledLogin.ms).toBeLessThan(BOUND_MS);
  expect(stalledExchange.ms).toBeLessThan(BOUND_MS);

  await held;
  const after = await post('/oauth/token.as', tokenParams(code));
  expect(after.body).toMatchObject({ success: true, code: '0' });
}, 30_000);
