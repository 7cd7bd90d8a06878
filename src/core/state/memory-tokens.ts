import type { TokenBackend, TokenQuery, TokenTx } from './token-backend.js';
import type { TokenKind, TokenRecord } from './token-record.js';
import { TokenStore } from './token-store.js';

/** Ended records are remembered this long (to answer "expired", not "unknown"), and at most this many codes overall. */
const RETENTION_MS = 24 * 3600 * 1000;
const MAX_CODES = 100_000;

/**
 * The codes and tokens of a world in this process's memory. An operation runs at once against the
 * store itself: JavaScript runs it to the end before any other request is looked at, so it is atomic.
 * Every answer is synchronous (no promise): an in-memory request pays for no event-loop turn here.
 */
export class MemoryTokens implements TokenBackend {
  readonly store = new TokenStore();
  private readonly tx: TokenTx = {
    get: (platform, kind, value) => this.store.get(platform, kind, value),
    family: (family) => [...this.store.family(family)],
    taken: (platform, kind, value) => this.store.has(platform, kind, value),
    insert: (rec) => this.store.insert(rec),
    update: (rec, patch) => this.store.update(rec, patch),
  };

  transact<T>(op: (tx: TokenTx) => T): T {
    return op(this.tx);
  }

  find(platform: string, kind: TokenKind, value: string): TokenRecord | undefined {
    return this.store.get(platform, kind, value);
  }

  list(q: TokenQuery = {}): TokenRecord[] {
    const records = q.order === 'newest' ? [...this.store.all()].reverse() : this.store.all();
    const out: TokenRecord[] = [];
    const limit = q.limit ?? Infinity;
    for (const rec of records) {
      if (out.length >= limit) break;
      if (q.platform !== undefined && rec.platform !== q.platform) continue;
      if (q.kind !== undefined && rec.kind !== q.kind) continue;
      if (q.where && !q.where(rec)) continue;
      out.push(rec);
    }
    return out;
  }

  count(): number {
    return this.store.size;
  }

  seed(records: readonly TokenRecord[]): void {
    for (const rec of records) {
      const existing = this.store.get(rec.platform, rec.kind, rec.value);
      if (existing) this.store.remove(existing);
      this.store.insert(rec);
    }
  }

  prune(now: number): void {
    this.store.pruneCodes(now, RETENTION_MS, MAX_CODES);
    this.store.pruneTokens(now, RETENTION_MS);
  }

  clear(): void {
    this.store.clear();
  }
}
