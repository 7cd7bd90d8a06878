import { TokenStore } from '../../src/core/state/token-store.js';
import type { TokenRecord } from '../../src/core/state/token-record.js';

const code = (value: string, expiresAt: number | null, usedAt?: number): TokenRecord => ({
  value,
  platform: 'p',
  kind: 'code',
  appId: 'a',
  subject: 's',
  issuedAt: 0,
  expiresAt,
  ttl: 10,
  family: value,
  ...(usedAt === undefined ? {} : { usedAt }),
});

describe('TokenStore.pruneCodes keeps the code population bounded', () => {
  test('drops codes past expiry + retention, oldest first, and stops at the first one still kept', () => {
    const store = new TokenStore();
    store.insert(code('a', 1000));
    store.insert(code('b', 2000, 1500));
    store.insert(code('c', 9000));
    store.insert(code('d', 1500));
    expect(store.pruneCodes(2500, 500, 100)).toBe(2);
    expect(store.has('p', 'code', 'a')).toBe(false);
    expect(store.has('p', 'code', 'b')).toBe(false);
    // 'd' is expired but stands behind a live code: it waits its turn (no scan).
    expect(store.has('p', 'code', 'c')).toBe(true);
    expect(store.has('p', 'code', 'd')).toBe(true);
  });

  test('over the cap, expired codes go even inside the retention window; live ones never', () => {
    const store = new TokenStore();
    for (let i = 0; i < 10; i++) store.insert(code(`x${i}`, 100));
    store.insert(code('live', 10_000));
    expect(store.pruneCodes(200, 1_000_000, 3)).toBe(8);
    expect(store.size).toBe(3);
    expect(store.has('p', 'code', 'live')).toBe(true);
  });

  test('codes that never expire are never pruned', () => {
    const store = new TokenStore();
    store.insert(code('n', null));
    expect(store.pruneCodes(Number.MAX_SAFE_INTEGER, 0, 0)).toBe(0);
    expect(store.size).toBe(1);
  });
});
