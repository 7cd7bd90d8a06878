import { MantunClient } from '../helpers/mantun.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { mantunFailure, PROJECTS, tokenBody } from './support.js';

let t: TestSandbox;
let mantun: MantunClient;
afterEach(() => t.close());

async function start(scenario: string | string[]) {
  t = await startTestSandbox({ scenario });
  mantun = new MantunClient(t.http);
}

const EXPIRED = mantunFailure('10031', 'access_token has expired');

describe('expiry-fast: access tokens live 5 s', () => {
  test('a token works at 4 s and fails at 5 s; the token response announces 5', async () => {
    await start('expiry-fast');
    const res = await mantun.exchange(await mantun.code());
    expect(res.body).toEqual({ ...tokenBody(), data: { ...tokenBody().data, expiresIn: 5 } });
    const { accessToken, refreshToken } = res.body.data;
    t.sb.clock.advance('4s');
    expect((await mantun.call(accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(PROJECTS);
    t.sb.clock.advance('1s');
    expect((await mantun.call(accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(EXPIRED);
    // The refresh token keeps its own (30-day) life: the app can recover.
    const refreshed = await mantun.refresh(refreshToken);
    expect(refreshed.body.data.expiresIn).toBe(5);
    expect((await mantun.call(refreshed.body.data.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(PROJECTS);
  });
});

describe('expired-on-issue: access tokens are dead on arrival', () => {
  test('token.as announces 3600 s but the first router.as call says expired; codes and refresh tokens still work', async () => {
    await start('expired-on-issue');
    const res = await mantun.exchange(await mantun.code());
    expect(res.body).toEqual(tokenBody());
    expect((await mantun.call(res.body.data.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(EXPIRED);
    const refreshed = await mantun.refresh(res.body.data.refreshToken);
    expect(refreshed.body).toEqual(tokenBody());
    expect((await mantun.call(refreshed.body.data.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(EXPIRED);
  });
});

describe('refresh-expired: refresh tokens are dead on arrival', () => {
  test('the access token works, the refresh fails with the expired-refresh error', async () => {
    await start('refresh-expired');
    const tokens = await mantun.tokens();
    expect((await mantun.call(tokens.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(PROJECTS);
    expect((await mantun.refresh(tokens.refreshToken)).body).toEqual(mantunFailure('10022', 'refresh_token has expired'));
  });
});

describe('clock-skew-ahead / clock-skew-behind: the platform clock is ± 5 min from the host', () => {
  test.each([
    ['clock-skew-ahead', 300_000],
    ['clock-skew-behind', -300_000],
  ])('%s moves the sandbox clock by %d ms', async (name, offset) => {
    await start(name);
    const clock = (await t.http.get('/__sandbox/clock')).body;
    expect(Math.abs(clock.offsetMs - offset)).toBeLessThan(2000);
    expect(clock.rate).toBe(1);
  });

  test('tokens are stamped with the skewed time: a client that checks expiry with its host clock is 5 min off', async () => {
    await start('clock-skew-ahead');
    const host = Date.now();
    await mantun.tokens();
    const [access] = (await t.http.get('/__sandbox/tokens?kind=access')).body.tokens;
    expect(Math.abs(access.issuedAt - (host + 300_000))).toBeLessThan(2000);
    expect(access.expiresAt - access.issuedAt).toBe(3_600_000);
  });

  test('a signed call stamped with host time is refused once the skew exceeds the platform tolerance', async () => {
    // Mantun tolerates 10 min; a bug report's platform with a 4-min window shows the skew bite.
    t = await startTestSandbox({ scenario: 'clock-skew-ahead', fixtures: [fixtureFile({ mantun: { timestampToleranceSeconds: 240 } })] });
    mantun = new MantunClient(t.http);
    const { accessToken } = await mantun.tokens();
    expect((await mantun.call(accessToken, 'GET_PROJECTS', Date.now())).body).toEqual(
      mantunFailure('10041', 'timestamp is missing, malformed (yyyyMMddHHmmss) or too far from server time'),
    );
    expect((await mantun.call(accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(PROJECTS);
  });
});

describe('clock start and rate', () => {
  test('a scenario can start the clock at a fixed instant and run it 60× fast', async () => {
    await start([]);
    await t.http
      .put('/__sandbox/scenario')
      .send({ clock: { start: '2026-03-01T08:00:00+08:00', rate: 60 } })
      .expect(200);
    const before = (await t.http.get('/__sandbox/clock')).body;
    expect(before.rate).toBe(60);
    expect(before.epochMs - Date.parse('2026-03-01T00:00:00Z')).toBeGreaterThanOrEqual(0);
    expect(before.epochMs - Date.parse('2026-03-01T00:00:00Z')).toBeLessThan(600_000); // 10 s of host time on a slow machine
    await new Promise((r) => setTimeout(r, 200));
    const after = (await t.http.get('/__sandbox/clock')).body;
    // 200 ms of host time is 12 s of sandbox time at 60×.
    expect(after.epochMs - before.epochMs).toBeGreaterThanOrEqual(11_000);
  });

  test('deactivating a scenario that moved the clock puts the clock back on host time', async () => {
    await start('clock-skew-behind');
    const cleared = await t.http.delete('/__sandbox/scenario');
    expect(cleared.status).toBe(200);
    expect(Math.abs(cleared.body.clock.offsetMs)).toBeLessThan(2000);
  });
});

function fixtureFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sandbox-fixture-')), 'fixture.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}
