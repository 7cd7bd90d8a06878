import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, MantunClient, USER } from '../helpers/mantun.js';
import { mantunFailure, PROJECTS, tokenBody } from './support.js';

let t: TestSandbox;
let mantun: MantunClient;
afterEach(() => t.close());

const v = (c: string) => c.repeat(32);
const base = { platform: 'mantun', appId: APP.appKey, subject: USER.uname };

/** What a bug report would hold: the exact tokens the app had, and what had happened to them. */
const BUG = {
  description: 'Ticket 4711: the app refreshed with a token it had already used',
  clock: { start: '2026-05-01T02:00:00Z', rate: 0 },
  state: {
    tokens: [
      { ...base, kind: 'access', value: v('a'), issuedAt: '-2h', expiresIn: 3600, pair: v('b') },
      { ...base, kind: 'refresh', value: v('b'), issuedAt: '-2h', used: true, pair: v('a') },
      { ...base, kind: 'access', value: v('c'), issuedAt: '-10m', pair: v('d') },
      { ...base, kind: 'refresh', value: v('d'), issuedAt: '-10m', pair: v('c') },
      { ...base, kind: 'access', value: v('e'), expiresAt: null },
      { ...base, kind: 'access', value: v('f'), revokedAt: '-1m' },
      { ...base, kind: 'code', value: v('1'), data: { redirectUri: APP.redirectUri } },
      { ...base, kind: 'code', value: v('2'), issuedAt: '2026-05-01T01:00:00Z', expiresAt: '2026-05-01T01:10:00Z' },
    ],
  },
};

describe('pre-seeded codes and tokens', () => {
  beforeEach(async () => {
    t = await startTestSandbox({ scenario: BUG });
    mantun = new MantunClient(t.http);
  });
  const now = () => t.sb.clock.now();

  test('each seeded token answers as its history says', async () => {
    expect((await mantun.call(v('a'), 'GET_PROJECTS', now())).body).toEqual(mantunFailure('10031', 'access_token has expired'));
    expect((await mantun.refresh(v('b'))).body).toEqual(mantunFailure('10021', 'refresh_token has already been used'));
    expect((await mantun.call(v('c'), 'GET_PROJECTS', now())).body).toEqual(PROJECTS);
    expect((await mantun.call(v('e'), 'GET_PROJECTS', now())).body).toEqual(PROJECTS);
    expect((await mantun.call(v('f'), 'GET_PROJECTS', now())).body).toEqual(mantunFailure('10032', 'access_token has been revoked'));
    expect((await mantun.exchange(v('2'))).body).toEqual(mantunFailure('10012', 'code has expired'));
  });

  test('a live seeded code and refresh token work like issued ones', async () => {
    expect((await mantun.exchange(v('1'))).body).toEqual(tokenBody());
    expect((await mantun.exchange(v('1'))).body).toEqual(mantunFailure('10011', 'code has already been used'));
    const refreshed = await mantun.refresh(v('d'));
    expect(refreshed.body).toEqual(tokenBody());
    expect((await mantun.refresh(v('d'))).body).toEqual(mantunFailure('10021', 'refresh_token has already been used'));
  });

  test('times are stored as given, relative ones from the scenario clock; unset expiry follows the policy', async () => {
    const tokens = (await t.http.get('/__sandbox/tokens')).body.tokens as {
      value: string;
      issuedAt: number;
      expiresAt: number | null;
      ttl: number | null;
      usedAt?: number;
      state: string;
      family: string;
    }[];
    const by = (x: string) => tokens.find((r) => r.value === v(x))!;
    const start = Date.parse('2026-05-01T02:00:00Z');
    expect(by('a')).toMatchObject({ issuedAt: start - 7_200_000, expiresAt: start - 3_600_000, ttl: 3600, state: 'expired' });
    expect(by('b')).toMatchObject({ issuedAt: start - 7_200_000, usedAt: start - 7_200_000, expiresAt: start - 7_200_000 + 30 * 86_400_000, state: 'rotated' });
    expect(by('c')).toMatchObject({ issuedAt: start - 600_000, expiresAt: start + 3_000_000, ttl: 3600, state: 'active' });
    expect(by('e')).toMatchObject({ issuedAt: start, expiresAt: null, state: 'active' });
    expect(by('f').state).toBe('revoked');
    expect(by('1')).toMatchObject({ expiresAt: start + 600_000, state: 'active' });
    // A pair without a family shares one, so reuse detection reaches both halves.
    expect(by('c').family).toBe(by('d').family);
  });
});

describe('seeded state that does not load', () => {
  test.each([
    [
      { ...base, platform: 'mantn', kind: 'access', value: 'x' },
      'state.tokens[0].platform',
      'unknown platform "mantn"; platforms: mantun, usercenter, sop, zjrc',
    ],
    [{ ...base, kind: 'access', value: 'x', expiresAt: null, expiresIn: 5 }, 'state.tokens[0].expiresIn', 'give "expiresAt" or "expiresIn", not both'],
    [{ ...base, kind: 'bearer', value: 'x' }, 'state.tokens[0].kind', 'expected "code", "access", "refresh" or "temp" (got "bearer")'],
    [
      { ...base, kind: 'access', value: 'x', issuedAt: 'yesterday' },
      'state.tokens[0].issuedAt',
      'expected an ISO-8601 time such as "2026-01-01T08:00:00+08:00", epoch milliseconds, or a time relative to activation such as "-10m" or "+1h" (got "yesterday")',
    ],
    [{ ...base, kind: 'access' }, 'state.tokens[0].value', 'required field is missing (expected string)'],
  ])('%j is refused at %s', async (token, path, message) => {
    t = await startTestSandbox();
    const res = await t.http.put('/__sandbox/scenario').send({ state: { tokens: [token] } });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ file: 'request body', path, message }]);
    expect((await t.http.get('/__sandbox/tokens')).body.count).toBe(0);
  });
});
