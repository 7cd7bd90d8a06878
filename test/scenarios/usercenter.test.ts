import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { CLIENT, login, parseResult, passwordBody, REFRESH_USED, USER_NOT_FOUND, UUID } from '../helpers/usercenter.js';
import { networkError } from './support.js';

/**
 * The built-in scenarios on UserCenter. Not applicable here: code-reuse-allowed (no codes),
 * grace-10min (a refresh needs the access token expired already), callback-url-missing (Mantun's),
 * invalid-signature (nothing is signed); the clock scenarios are platform-neutral (expiry.test.ts).
 */
let t: TestSandbox;
afterEach(() => t.close());

const start = async (scenario: string | string[]) => {
  t = await startTestSandbox({ scenario });
};
const user = (accessToken: string) => t.http.post('/user/getUserByToken').send({ accessToken });
const refresh = (refresh_token: string) => t.http.post('/oauth/refreshAccessToken').send({ refresh_token });
const NOT_FOUND = { status: 0, msg: USER_NOT_FOUND };
const USED = { status: 0, msg: REFRESH_USED };
const tokens = (expires_in: string) => ({ accessToken: expect.stringMatching(UUID), refreshToken: expect.stringMatching(UUID), expires_in });

describe('lifetimes', () => {
  test('expiry-fast: expires_in "5"; the user lookup fails after 5 s; the refresh then works', async () => {
    await start('expiry-fast');
    const first = await login(t.http, CLIENT);
    expect(first).toEqual(tokens('5'));
    expect((await user(first.accessToken)).body.status).toBe(1);
    t.sb.clock.advance('5s');
    expect((await user(first.accessToken)).body).toEqual(NOT_FOUND);
    expect(parseResult((await refresh(first.refreshToken)).body)).toEqual(tokens('5'));
  });

  test('expired-on-issue: expires_in "86400", yet the first lookup fails, and a refresh is allowed at once', async () => {
    await start('expired-on-issue');
    const first = await login(t.http, CLIENT);
    expect(first).toEqual(tokens('86400'));
    expect((await user(first.accessToken)).body).toEqual(NOT_FOUND);
    expect(parseResult((await refresh(first.refreshToken)).body)).toEqual(tokens('86400'));
  });

  test('refresh-expired: once the access token times out, the refresh fails with the one refresh text', async () => {
    await start('refresh-expired');
    const first = await login(t.http, CLIENT);
    t.sb.clock.advance('86400s');
    expect((await refresh(first.refreshToken)).body).toEqual(USED);
  });
});

describe('rotation', () => {
  test('rotation-strict: replaying the old refresh token kills the new access token too', async () => {
    await start('rotation-strict');
    const first = await login(t.http, CLIENT);
    t.sb.clock.advance('86400s');
    const second = parseResult((await refresh(first.refreshToken)).body);
    expect((await user(second.accessToken)).body.status).toBe(1);
    expect((await refresh(first.refreshToken)).body).toEqual(USED);
    expect((await user(second.accessToken)).body).toEqual(NOT_FOUND);
  });

  test('rotation-lenient: the old refresh token is accepted again', async () => {
    await start('rotation-lenient');
    const first = await login(t.http, CLIENT);
    t.sb.clock.advance('86400s');
    expect(parseResult((await refresh(first.refreshToken)).body)).toEqual(tokens('86400'));
    expect(parseResult((await refresh(first.refreshToken)).body)).toEqual(tokens('86400'));
  });

  test('refresh-response-lost: the refresh happened, its answer did not arrive, the retry is refused', async () => {
    await start('refresh-response-lost');
    const first = await login(t.http, CLIENT);
    t.sb.clock.advance('86400s');
    expect(await networkError(refresh(first.refreshToken))).toBe('ECONNRESET');
    expect((await refresh(first.refreshToken)).body).toEqual(USED);
  });
});

describe('failures of the token endpoints', () => {
  test('token-endpoint-500: /oauth/token and /oauth/refreshAccessToken answer 500; the user lookup works', async () => {
    await start([]);
    const first = await login(t.http, CLIENT);
    await t.sb.scenario.use('token-endpoint-500');
    for (const res of [await t.http.post('/oauth/token').send(passwordBody()), await refresh(first.refreshToken)]) {
      expect(res.status).toBe(500);
      expect(res.text).toContain('HTTP Status 500 – Internal Server Error');
    }
    expect((await user(first.accessToken)).body.status).toBe(1);
  });

  test('token-endpoint-slow and connection-reset reach /oauth/token', async () => {
    await start('token-endpoint-slow');
    expect(await networkError(t.http.post('/oauth/token').send(passwordBody()).timeout(300))).toBe('ECONNABORTED');
    await t.sb.scenario.use('connection-reset');
    expect(await networkError(t.http.post('/oauth/token').send(passwordBody()))).toBe('ECONNRESET');
  });

  test("flaky: some UserCenter calls get the proxy's 502", async () => {
    await start([]);
    const { accessToken } = await login(t.http, CLIENT);
    await t.sb.scenario.use('flaky');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await user(accessToken)).status);
    expect(statuses).toContain(502);
    expect(statuses).toContain(200);
  });
});
