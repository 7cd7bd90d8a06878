import { MantunClient } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { mantunFailure, PROJECTS, tokenBody } from './support.js';

let t: TestSandbox;
let mantun: MantunClient;
afterEach(() => t.close());

async function start(scenario?: string) {
  t = await startTestSandbox(scenario ? { scenario } : {});
  mantun = new MantunClient(t.http);
}

const projects = (token: string) => mantun.call(token, 'GET_PROJECTS', t.sb.clock.now());

describe('rotation-strict: single-use refresh tokens, reuse revokes the family', () => {
  test("replaying a spent refresh token fails and kills every token of the login, the winner's included", async () => {
    await start('rotation-strict');
    const first = await mantun.tokens();
    const winner = await mantun.refresh(first.refreshToken);
    expect(winner.body).toEqual(tokenBody());
    const second = winner.body.data;
    expect(second.refreshToken).not.toBe(first.refreshToken);

    expect((await mantun.refresh(first.refreshToken)).body).toEqual(mantunFailure('10021', 'refresh_token has already been used'));
    expect((await projects(second.accessToken)).body).toEqual(mantunFailure('10032', 'access_token has been revoked'));
    expect((await projects(first.accessToken)).body).toEqual(mantunFailure('10032', 'access_token has been revoked'));
    expect((await mantun.refresh(second.refreshToken)).body).toEqual(mantunFailure('10023', 'refresh_token has been revoked'));
  });

  test('another login (another family) is untouched', async () => {
    await start('rotation-strict');
    const victim = await mantun.tokens();
    const bystander = await mantun.tokens();
    await mantun.refresh(victim.refreshToken);
    await mantun.refresh(victim.refreshToken);
    expect((await projects(bystander.accessToken)).body).toEqual(PROJECTS);
    expect((await mantun.refresh(bystander.refreshToken)).body).toEqual(tokenBody());
  });

  test('100 concurrent refreshes of one refresh token: exactly one succeeds', async () => {
    await start('rotation-strict');
    const { refreshToken } = await mantun.tokens();
    const results = await Promise.all(Array.from({ length: 100 }, () => mantun.refresh(refreshToken)));
    const wins = results.filter((r) => r.body.success === true);
    const losses = results.filter((r) => r.body.success === false);
    expect(wins).toHaveLength(1);
    expect(losses).toHaveLength(99);
    // The first replay finds the token spent and revokes the family; the replays after it find it revoked.
    const used = losses.filter((r) => r.body.code === '10021');
    const revoked = losses.filter((r) => r.body.code === '10023');
    expect(used.length).toBeGreaterThanOrEqual(1);
    expect(used.length + revoked.length).toBe(99);
    expect(used[0].body).toEqual(mantunFailure('10021', 'refresh_token has already been used'));
    if (revoked.length) expect(revoked[0].body).toEqual(mantunFailure('10023', 'refresh_token has been revoked'));
    // The losers' reuse revoked the family, the winner's new tokens with it.
    expect((await projects(wins[0].body.data.accessToken)).body).toEqual(mantunFailure('10032', 'access_token has been revoked'));
  });
});

describe('rotation-lenient: a spent refresh token is still accepted', () => {
  test('the first refresh token works again and again, each time with a new pair', async () => {
    await start('rotation-lenient');
    const first = await mantun.tokens();
    const a = await mantun.refresh(first.refreshToken);
    const b = await mantun.refresh(first.refreshToken);
    expect(a.body).toEqual(tokenBody());
    expect(b.body).toEqual(tokenBody());
    expect(b.body.data.refreshToken).not.toBe(a.body.data.refreshToken);
    expect((await projects(a.body.data.accessToken)).body).toEqual(PROJECTS);
    expect((await projects(b.body.data.accessToken)).body).toEqual(PROJECTS);
  });

  test('without the scenario the same replay is refused (the Mantun default)', async () => {
    await start();
    const first = await mantun.tokens();
    await mantun.refresh(first.refreshToken);
    expect((await mantun.refresh(first.refreshToken)).body).toEqual(mantunFailure('10021', 'refresh_token has already been used'));
  });
});

describe('grace-10min: the replaced access token works 600 s more', () => {
  test('old token works at 599 s after the refresh, fails at 600 s; the new one keeps working', async () => {
    await start('grace-10min');
    const first = await mantun.tokens();
    const second = (await mantun.refresh(first.refreshToken)).body.data;
    t.sb.clock.advance('599s');
    expect((await projects(first.accessToken)).body).toEqual(PROJECTS);
    t.sb.clock.advance('1s');
    expect((await projects(first.accessToken)).body).toEqual(mantunFailure('10031', 'access_token has expired'));
    expect((await projects(second.accessToken)).body).toEqual(PROJECTS);
  });
});

describe('code-reuse-allowed: authorization codes can be exchanged twice', () => {
  test('the same code gives two different token pairs', async () => {
    await start('code-reuse-allowed');
    const code = await mantun.code();
    const a = await mantun.exchange(code);
    const b = await mantun.exchange(code);
    expect(a.body).toEqual(tokenBody());
    expect(b.body).toEqual(tokenBody());
    expect(b.body.data.accessToken).not.toBe(a.body.data.accessToken);
  });

  test('without the scenario the second exchange is refused', async () => {
    await start();
    const code = await mantun.code();
    await mantun.exchange(code);
    expect((await mantun.exchange(code)).body).toEqual(mantunFailure('10011', 'code has already been used'));
  });
});
