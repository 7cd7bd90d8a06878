import type { TokenBackend } from '../../src/core/state/token-backend.js';
import type { TokenRecord } from '../../src/core/state/token-record.js';

/**
 * Two handles on one world's token store: in memory the same object twice; in Redis two connections,
 * as two processes of one deployment would hold. Every call is awaited, so a store that answers
 * synchronously passes the same suite as one that answers with a promise.
 */
export interface TokenHandles {
  a: TokenBackend;
  b: TokenBackend;
  close(): Promise<void>;
}

const rec = (value: string, over: Partial<TokenRecord> = {}): TokenRecord => ({
  value,
  platform: 'acme',
  kind: 'access',
  appId: 'c1',
  subject: 'someone',
  issuedAt: 1_000,
  expiresAt: 61_000,
  ttl: 60,
  family: 'f1',
  ...over,
});

/** What every TokenBackend must do, whatever keeps the records. */
export function tokenBackendContract(name: string, open: () => Promise<TokenHandles>): void {
  describe(`TokenBackend contract: ${name}`, () => {
    let h: TokenHandles;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    test('a record inserted in a transaction is found, by platform, kind and value, through either handle', async () => {
      await h.a.transact((tx) => tx.insert(rec('v1', { scopes: ['a'], data: { openId: 'o1' } })));
      expect(await h.b.find('acme', 'access', 'v1')).toEqual(rec('v1', { scopes: ['a'], data: { openId: 'o1' } }));
      expect(await h.b.find('acme', 'refresh', 'v1')).toBeUndefined();
      expect(await h.b.find('other', 'access', 'v1')).toBeUndefined();
      expect(await h.a.count()).toBe(1);
    });

    test('update returns the record as it now stands; later reads in the transaction and after it see the change', async () => {
      await h.a.transact((tx) => tx.insert(rec('v1')));
      const seen = await h.a.transact((tx) => {
        const updated = tx.update(tx.get('acme', 'access', 'v1')!, { usedAt: 5_000 });
        return { updated, again: tx.get('acme', 'access', 'v1') };
      });
      expect(seen.updated).toEqual(rec('v1', { usedAt: 5_000 }));
      expect(seen.again).toEqual(rec('v1', { usedAt: 5_000 }));
      expect(await h.b.find('acme', 'access', 'v1')).toEqual(rec('v1', { usedAt: 5_000 }));
    });

    test('a transaction returns what its function returns, and a read-only one writes nothing', async () => {
      expect(await h.a.transact((tx) => tx.get('acme', 'access', 'nope') ?? 'none')).toBe('none');
      expect(await h.a.count()).toBe(0);
    });

    test('an error thrown by the function fails the transaction with that error (thrown by a store that answers at once, rejected by one that answers later)', async () => {
      await expect(
        (async () =>
          h.a.transact(() => {
            throw new Error('refused');
          }))(),
      ).rejects.toThrow('refused');
    });

    test('family lists every member stored before the transaction, as the transaction has changed them', async () => {
      await h.a.transact((tx) => {
        tx.insert(rec('a1', { family: 'fam' }));
        tx.insert(rec('r1', { family: 'fam', kind: 'refresh' }));
        tx.insert(rec('x1', { family: 'other' }));
      });
      // Reuse detection revokes a family member by member in one transaction: each must see the others' revocation.
      const members = await h.b.transact((tx) => {
        tx.update(tx.get('acme', 'access', 'a1')!, { revokedAt: 7, revokedReason: 'family-reuse' });
        return tx.family('fam').map((r) => `${r.kind}:${r.value}:${r.revokedAt ?? '-'}`);
      });
      expect(members.sort()).toEqual(['access:a1:7', 'refresh:r1:-']);
    });

    test('family also lists the members the same transaction inserted, as they stand in it', async () => {
      await h.a.transact((tx) => tx.insert(rec('a1', { family: 'fam' })));
      const members = await h.b.transact((tx) => {
        tx.insert(rec('r2', { family: 'fam', kind: 'refresh' }));
        const r2 = tx.get('acme', 'refresh', 'r2')!;
        tx.update(r2, { usedAt: 9 });
        tx.insert(rec('x2', { family: 'other' }));
        return tx.family('fam').map((r) => `${r.kind}:${r.value}:${r.usedAt ?? '-'}`);
      });
      expect(members.sort()).toEqual(['access:a1:-', 'refresh:r2:9']);
    });

    test('list keeps issue order, or newest first, filtered by platform, kind and a predicate, up to a limit', async () => {
      await h.a.transact((tx) => {
        tx.insert(rec('t1', { issuedAt: 1 }));
        tx.insert(rec('t2', { issuedAt: 2, kind: 'refresh' }));
        tx.insert(rec('t3', { issuedAt: 3, platform: 'mantun' }));
        tx.insert(rec('t4', { issuedAt: 4 }));
      });
      const values = (list: TokenRecord[]) => list.map((r) => r.value);
      expect(values(await h.b.list())).toEqual(['t1', 't2', 't3', 't4']);
      expect(values(await h.b.list({ order: 'newest' }))).toEqual(['t4', 't3', 't2', 't1']);
      expect(values(await h.b.list({ platform: 'acme' }))).toEqual(['t1', 't2', 't4']);
      expect(values(await h.b.list({ kind: 'refresh' }))).toEqual(['t2']);
      expect(values(await h.b.list({ where: (r) => r.issuedAt >= 3 }))).toEqual(['t3', 't4']);
      expect(values(await h.b.list({ platform: 'acme', order: 'newest', limit: 2 }))).toEqual(['t4', 't2']);
    });

    test('seed puts records in as they are and replaces one with the same value', async () => {
      await h.a.seed([rec('s1'), rec('s2', { kind: 'refresh' })]);
      await h.b.seed([rec('s1', { subject: 'replaced', revokedAt: 9, revokedReason: 'admin' })]);
      expect(await h.a.find('acme', 'access', 's1')).toEqual(rec('s1', { subject: 'replaced', revokedAt: 9, revokedReason: 'admin' }));
      expect(await h.a.count()).toBe(2);
    });

    test('prune never drops a code still valid, nor a token ended less than a day ago', async () => {
      await h.a.seed([rec('c1', { kind: 'code', expiresAt: 10_000_000 }), rec('old', { expiresAt: 2_000 })]);
      await h.a.prune(3_000);
      expect(await h.b.find('acme', 'code', 'c1')).toBeDefined();
      expect(await h.b.find('acme', 'access', 'old')).toBeDefined();
    });

    test('prune forgets what ended a day ago, and keeps a spent refresh token until its own expiry (reuse detection)', async () => {
      const DAY = 24 * 3600 * 1000;
      await h.a.seed([
        rec('expired', { expiresAt: 1_000 }),
        rec('revoked', { expiresAt: null, revokedAt: 2_000, revokedReason: 'admin' }),
        rec('graced', { expiresAt: 50 * DAY, graceUntil: 3_000 }),
        rec('spent', { kind: 'refresh', expiresAt: 10 * DAY, usedAt: 1_000, replacedBy: 'next' }),
        rec('forever', { expiresAt: null }),
        rec('code', { kind: 'code', expiresAt: 1_000 }),
      ]);
      await h.b.transact((tx) => tx.update(tx.get('acme', 'access', 'forever')!, { revokedAt: 4_000, revokedReason: 'destroyed' }));
      expect(await h.a.count()).toBe(6);
      await h.b.prune(3_000 + DAY);
      const left = async () => (await h.a.list()).map((r) => r.value).sort();
      expect(await left()).toEqual(['forever', 'spent']);
      expect(await h.a.count()).toBe(2);
      expect(await h.b.find('acme', 'access', 'expired')).toBeUndefined();
      // A family's records that are left are still its own.
      expect((await h.a.transact((tx) => tx.family('f1'))).map((r) => r.value).sort()).toEqual(['forever', 'spent']);
      await h.a.prune(4_000 + DAY);
      expect(await left()).toEqual(['spent']);
      await h.a.prune(11 * DAY - 1);
      expect(await left()).toEqual(['spent']);
      await h.b.prune(11 * DAY);
      expect(await left()).toEqual([]);
      expect(await h.a.count()).toBe(0);
    });

    test('clear forgets every record', async () => {
      await h.a.seed([rec('k1'), rec('k2', { kind: 'code' })]);
      await h.b.clear();
      expect(await h.a.count()).toBe(0);
      expect(await h.a.find('acme', 'access', 'k1')).toBeUndefined();
    });

    test('exactly once: of 40 concurrent spends of one value, through both handles, one wins', async () => {
      await h.a.seed([rec('once', { kind: 'code' })]);
      const spend = (backend: TokenBackend, at: number) =>
        backend.transact((tx) => {
          const code = tx.get('acme', 'code', 'once')!;
          if (code.usedAt !== undefined) return false;
          tx.update(code, { usedAt: at });
          tx.insert(rec(`pair-${at}`));
          return true;
        });
      const wins = await Promise.all(Array.from({ length: 40 }, (_, i) => spend(i % 2 ? h.a : h.b, 10_000 + i)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      // The winner's writes landed together; the losers' did not land at all.
      const winner = 10_000 + wins.indexOf(true);
      expect((await h.a.find('acme', 'code', 'once'))?.usedAt).toBe(winner);
      expect((await h.b.list({ kind: 'access' })).map((r) => r.value)).toEqual([`pair-${winner}`]);
    });
  });
}
