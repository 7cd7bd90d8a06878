import type { Clock } from '../../../src/core/time/clock.js';
import { createRandom } from '../../../src/core/random/seeded-random.js';
import type { TokenBackend } from '../../../src/core/state/token-backend.js';
import { TokenLifecycle, type IssueRequest } from '../../../src/core/tokens/lifecycle.js';
import { applyPolicy, platformPolicy, type LifecyclePolicy, type PolicyOverride } from '../../../src/core/tokens/policy.js';

/**
 * The token lifecycle's rules (issue, redeem, refresh, rotation, reuse detection, expiry, revocation)
 * over a token store, with a clock the test moves by hand. Run over the memory store as unit tests
 * (lifecycle.test.ts) and over Redis as part of the store contracts (test/contracts/).
 */
export interface LifecycleStore {
  store: TokenBackend;
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);
/** code 60 s, access 1 h, refresh 1 day, temp never. */
const BASE = platformPolicy({ code: 60, access: 3600, refresh: 86_400, temp: null });
const REQ: IssueRequest = { platform: 'p', appId: 'app1', subject: 'alice', scopes: ['read'], data: { openId: 'o1' } };

export function lifecycleRules(name: string, open: () => Promise<LifecycleStore>): void {
  describe(`token lifecycle rules: ${name}`, () => {
    let now: number;
    let policy: LifecyclePolicy;
    let opened: LifecycleStore;
    let life: TokenLifecycle;
    const advance = (seconds: number) => (now += seconds * 1000);
    const use = (override: PolicyOverride) => (policy = applyPolicy(BASE, override));
    const pair = () => life.issuePair(REQ);

    beforeEach(async () => {
      now = T0;
      policy = BASE;
      opened = await open();
      const clock = { now: () => now } as unknown as Clock;
      life = new TokenLifecycle(opened.store, clock, createRandom('lifecycle'), () => policy);
    });
    afterEach(async () => {
      await opened.close();
    });

    test('issue: a 32-hex value (or a UUID), the lifetime of its kind, a family of its own; null lifetime never expires', async () => {
      const code = await life.issueCode(REQ);
      expect(code).toMatchObject({ kind: 'code', value: expect.stringMatching(/^[0-9a-f]{32}$/), issuedAt: T0, expiresAt: T0 + 60_000, ttl: 60 });
      expect(code.family).toMatch(/^[0-9a-f]{16}$/);
      const uuid = await life.issue('access', { ...REQ, format: 'uuid' });
      expect(uuid.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(await life.issue('temp', REQ)).toMatchObject({ expiresAt: null, ttl: null });
      expect(await life.find('p', 'code', code.value)).toEqual(code);
    });

    test('a pair: access and refresh point at each other and share a family', async () => {
      const { access, refresh } = await pair();
      expect(access).toMatchObject({ kind: 'access', pair: refresh.value, expiresAt: T0 + 3_600_000, scopes: ['read'], data: { openId: 'o1' } });
      expect(refresh).toMatchObject({ kind: 'refresh', pair: access.value, family: access.family, expiresAt: T0 + 86_400_000 });
    });

    test('expiredOnIssue: the named kinds are born expired, even when they would never expire', async () => {
      use({ expiredOnIssue: ['access'], lifetimes: { access: null } });
      const { access, refresh } = await pair();
      expect(access.expiresAt).toBe(T0);
      expect(await life.checkAccess('p', access.value)).toMatchObject({ ok: false, reason: 'expired' });
      expect(refresh.expiresAt).toBe(T0 + 86_400_000);
    });

    test('a code is spent once; another app, a second spend and a late one are refused for what they are', async () => {
      const code = await life.issueCode(REQ);
      expect(await life.redeemCode('p', code.value, 'other-app')).toEqual({ ok: false, reason: 'unknown' });
      const first = await life.exchangeCode('p', code.value, 'app1', (c) => ({ ...REQ, subject: c.subject }));
      expect(first.ok && first.value.code.usedAt).toBe(T0);
      expect(first.ok && first.value.access.family).toBe(code.family);
      expect(await life.exchangeCode('p', code.value, 'app1', () => REQ)).toMatchObject({ ok: false, reason: 'used' });
      const late = await life.issueCode(REQ);
      advance(60);
      expect(await life.redeemCode('p', late.value)).toMatchObject({ ok: false, reason: 'expired' });
      expect(await life.redeemCode('p', 'nope')).toEqual({ ok: false, reason: 'unknown' });
    });

    test('codeSingleUse false: a code redeems again, keeping the time of its first use', async () => {
      use({ codeSingleUse: false });
      const code = await life.issueCode(REQ);
      await life.redeemCode('p', code.value);
      advance(5);
      const again = await life.redeemCode('p', code.value);
      expect(again).toMatchObject({ ok: true, value: { usedAt: T0 } });
    });

    test('access: valid until its expiry, then expired; revoked and unknown are told apart', async () => {
      const { access } = await pair();
      expect(await life.checkAccess('p', access.value)).toMatchObject({ ok: true });
      advance(3599);
      expect(await life.checkAccess('p', access.value)).toMatchObject({ ok: true });
      advance(1);
      expect(await life.checkAccess('p', access.value)).toMatchObject({ ok: false, reason: 'expired' });
      const other = await pair();
      await life.revoke(other.access, 'admin');
      expect(await life.checkAccess('p', other.access.value)).toMatchObject({ ok: false, reason: 'revoked', record: { revokedReason: 'admin' } });
      expect(await life.checkAccess('p', 'nope')).toEqual({ ok: false, reason: 'unknown' });
    });

    test('expire() ends a token now; revoke() keeps the first reason', async () => {
      const { access, refresh } = await pair();
      await life.expire(access);
      expect(await life.checkAccess('p', access.value)).toMatchObject({ ok: false, reason: 'expired' });
      await life.revoke(refresh, 'destroyed');
      advance(1);
      await life.revoke(refresh, 'admin');
      expect(await life.find('p', 'refresh', refresh.value)).toMatchObject({ revokedAt: T0, revokedReason: 'destroyed' });
    });

    test('refresh rotates: a new pair in the same family; the old refresh token is used and points at its successor', async () => {
      const first = await pair();
      advance(10);
      const out = await life.refresh('p', first.refresh.value, 'app1');
      if (!out.ok) throw new Error(out.reason);
      expect(out.value.access).toMatchObject({ family: first.access.family, issuedAt: T0 + 10_000, pair: out.value.refresh.value, subject: 'alice' });
      expect(out.value.refresh.value).not.toBe(first.refresh.value);
      expect(out.value.previous).toMatchObject({ value: first.refresh.value, usedAt: T0 + 10_000, replacedBy: out.value.refresh.value });
      // 'keep' (the base rule): the old access token runs to its own expiry.
      expect(await life.checkAccess('p', first.access.value)).toMatchObject({ ok: true });
    });

    test('a rotated refresh token presented again is refused as used; with reuseRevokesFamily the whole family goes', async () => {
      const first = await pair();
      const second = await life.refresh('p', first.refresh.value);
      if (!second.ok) throw new Error(second.reason);
      expect(await life.refresh('p', first.refresh.value)).toMatchObject({ ok: false, reason: 'used' });
      expect(await life.checkAccess('p', second.value.access.value)).toMatchObject({ ok: true });
      use({ reuseRevokesFamily: true });
      expect(await life.refresh('p', first.refresh.value)).toMatchObject({ ok: false, reason: 'used' });
      expect(await life.checkAccess('p', second.value.access.value)).toMatchObject({ ok: false, reason: 'revoked', record: { revokedReason: 'family-reuse' } });
      expect(await life.refresh('p', second.value.refresh.value)).toMatchObject({ ok: false, reason: 'revoked' });
    });

    test('refreshReuse withinSeconds: a reuse inside the window works, one after it is refused', async () => {
      use({ refreshReuse: { withinSeconds: 30 } });
      const first = await pair();
      await life.refresh('p', first.refresh.value);
      advance(30);
      expect(await life.refresh('p', first.refresh.value)).toMatchObject({ ok: true });
      advance(1);
      expect(await life.refresh('p', first.refresh.value)).toMatchObject({ ok: false, reason: 'used' });
    });

    test('rotateRefresh false: the refresh token stays, unused, and pairs with each new access token', async () => {
      use({ rotateRefresh: false });
      const first = await pair();
      const a = await life.refresh('p', first.refresh.value);
      const b = await life.refresh('p', first.refresh.value);
      if (!a.ok || !b.ok) throw new Error('refused');
      expect(b.value.refresh.value).toBe(first.refresh.value);
      expect(b.value.refresh.usedAt).toBeUndefined();
      expect(b.value.refresh.pair).toBe(b.value.access.value);
    });

    test("the old access token after a refresh: 'revoke' ends it, a grace keeps it that long", async () => {
      use({ oldAccessAfterRefresh: 'revoke' });
      const revoked = await pair();
      await life.refresh('p', revoked.refresh.value);
      expect(await life.checkAccess('p', revoked.access.value)).toMatchObject({ ok: false, reason: 'revoked', record: { revokedReason: 'refreshed' } });
      use({ oldAccessAfterRefresh: { graceSeconds: 600 } });
      const graced = await pair();
      await life.refresh('p', graced.refresh.value);
      advance(599);
      expect(await life.checkAccess('p', graced.access.value)).toMatchObject({ ok: true, value: { graceUntil: T0 + 600_000 } });
      advance(1);
      expect(await life.checkAccess('p', graced.access.value)).toMatchObject({ ok: false, reason: 'grace_expired' });
    });

    test('refreshRequiresExpiredAccess: refused while the access token is valid, accepted once it expired', async () => {
      use({ refreshRequiresExpiredAccess: true });
      const first = await pair();
      expect(await life.refresh('p', first.refresh.value)).toMatchObject({ ok: false, reason: 'access_still_valid' });
      advance(3600);
      expect(await life.refresh('p', first.refresh.value)).toMatchObject({ ok: true });
    });

    test('an expired, unknown or foreign refresh token is refused for what it is', async () => {
      const first = await pair();
      expect(await life.refresh('p', first.refresh.value, 'other-app')).toEqual({ ok: false, reason: 'unknown' });
      expect(await life.refresh('p', 'nope')).toEqual({ ok: false, reason: 'unknown' });
      advance(86_400);
      expect(await life.refresh('p', first.refresh.value)).toMatchObject({ ok: false, reason: 'expired' });
    });

    test('exactly once: 30 concurrent exchanges of one code give one pair; 30 concurrent refreshes of one token, one rotation', async () => {
      const code = await life.issueCode(REQ);
      const exchanges = await Promise.all(Array.from({ length: 30 }, () => life.exchangeCode('p', code.value, 'app1', () => REQ)));
      expect(exchanges.filter((r) => r.ok)).toHaveLength(1);
      expect(exchanges.filter((r) => !r.ok && r.reason === 'used')).toHaveLength(29);
      const first = await pair();
      const refreshes = await Promise.all(Array.from({ length: 30 }, () => life.refresh('p', first.refresh.value)));
      expect(refreshes.filter((r) => r.ok)).toHaveLength(1);
      // The presented token and its one successor: no loser left a token behind.
      expect(await life.list({ kind: 'refresh', where: (r) => r.family === first.refresh.family })).toHaveLength(2);
    });
  });
}
