import { ForgetQueue } from './forget-queue.js';
import { forgetAt, type TokenKind, type TokenRecord } from './token-record.js';

/** What changed: one record (inserted, updated or removed), or every record (cleared). */
export type StoreChange = TokenRecord | 'all';
type Listener = (change: StoreChange) => void;

/**
 * Every code and token of one world, indexed so that every lookup the protocols need is a map hit:
 * by value (all requests) and by family (reuse detection). Nothing here scans the whole store.
 * One map per platform and kind, keyed by the value itself, and families as small arrays: at a
 * million tokens a composed key string and a Set per family were a third of the heap, and the
 * major GCs of that heap halved throughput (bench: cost growth).
 */
export class TokenStore {
  /** platform → kind → value → record. */
  private readonly byKind = new Map<string, Map<TokenKind, Map<string, TokenRecord>>>();
  private readonly byFamily = new Map<string, TokenRecord[]>();
  /** Issue order, for listings and export (a Set entry costs far less than a key string). */
  private readonly ordered = new Set<TokenRecord>();
  private readonly listeners: Listener[] = [];
  /** Codes in issue order, so expired ones can be dropped from the front without a scan. */
  private codeQueue: TokenRecord[] = [];
  private codeHead = 0;
  /** Every other record by the instant no rule needs it any more (forgetAt), earliest first. */
  private readonly endings = new ForgetQueue();

  get size(): number {
    return this.ordered.size;
  }

  private values(platform: string, kind: TokenKind, create: boolean): Map<string, TokenRecord> | undefined {
    // Two map hits, not a key composed per lookup: every request looks a token up.
    let kinds = this.byKind.get(platform);
    if (!kinds) {
      if (!create) return undefined;
      this.byKind.set(platform, (kinds = new Map()));
    }
    let map = kinds.get(kind);
    if (!map && create) kinds.set(kind, (map = new Map()));
    return map;
  }

  get(platform: string, kind: TokenKind, value: string): TokenRecord | undefined {
    return this.values(platform, kind, false)?.get(value);
  }

  has(platform: string, kind: TokenKind, value: string): boolean {
    return this.values(platform, kind, false)?.has(value) ?? false;
  }

  insert(rec: TokenRecord): void {
    this.index(rec);
    this.changed(rec);
  }

  private index(rec: TokenRecord): void {
    const map = this.values(rec.platform, rec.kind, true) as Map<string, TokenRecord>;
    const previous = map.get(rec.value);
    if (previous) this.unindex(previous);
    map.set(rec.value, rec);
    this.ordered.add(rec);
    if (rec.kind === 'code') this.codeQueue.push(rec);
    else {
      const end = forgetAt(rec, 0);
      if (end !== Infinity) this.endings.push(end, rec);
    }
    const fam = this.byFamily.get(rec.family);
    if (fam) fam.push(rec);
    else this.byFamily.set(rec.family, [rec]);
  }

  private unindex(rec: TokenRecord): void {
    const map = this.values(rec.platform, rec.kind, false);
    if (!map || map.get(rec.value) !== rec) return;
    map.delete(rec.value);
    this.ordered.delete(rec);
    const fam = this.byFamily.get(rec.family);
    if (fam) {
      const at = fam.indexOf(rec);
      if (at >= 0) fam.splice(at, 1);
      if (fam.length === 0) this.byFamily.delete(rec.family);
    }
  }

  /** Mutate a record in place and announce it. */
  update(rec: TokenRecord, patch: Partial<TokenRecord>): TokenRecord {
    const before = rec.kind === 'code' ? Infinity : forgetAt(rec, 0);
    Object.assign(rec, patch);
    if (rec.kind !== 'code') {
      // Revoked, made to expire now, given a grace: it ends sooner than it was queued for.
      const end = forgetAt(rec, 0);
      if (end < before && this.get(rec.platform, rec.kind, rec.value) === rec) this.endings.push(end, rec);
    }
    this.changed(rec);
    return rec;
  }

  remove(rec: TokenRecord): void {
    this.unindex(rec);
    this.changed(rec);
  }

  /**
   * Forget codes that expired more than `retainMs` ago (kept that long so a late exchange still hears
   * "expired" rather than "unknown"), and expired codes beyond `maxCodes`, oldest first. Codes are the
   * one record a client can mint without limit, so this is what keeps a long run's memory flat.
   */
  pruneCodes(now: number, retainMs: number, maxCodes: number): number {
    let removed = 0;
    while (this.codeHead < this.codeQueue.length) {
      const rec = this.codeQueue[this.codeHead];
      const live = this.get(rec.platform, rec.kind, rec.value) === rec;
      if (live) {
        const expired = rec.expiresAt !== null && now >= rec.expiresAt;
        const crowded = this.codeQueue.length - this.codeHead > maxCodes;
        if (!expired || (now < (rec.expiresAt as number) + retainMs && !crowded)) break;
        this.remove(rec);
        removed++;
      }
      this.codeHead++;
    }
    if (this.codeHead > 1024 && this.codeHead * 2 > this.codeQueue.length) {
      this.codeQueue = this.codeQueue.slice(this.codeHead);
      this.codeHead = 0;
    }
    return removed;
  }

  /**
   * Forget access, refresh and temp tokens that ended (expired, revoked, spent and past their own expiry: see
   * forgetAt) more than `retainMs` ago. UserCenter's password login and every refresh mint records without a
   * code, so without this a long load test grows the store without end. Costs nothing while nothing is due.
   */
  pruneTokens(now: number, retainMs: number): number {
    let removed = 0;
    while (this.endings.peek() + retainMs <= now) {
      const rec = this.endings.pop() as TokenRecord;
      if (this.get(rec.platform, rec.kind, rec.value) !== rec) continue;
      const end = forgetAt(rec, 0);
      if (end + retainMs <= now) {
        this.remove(rec);
        removed++;
      } else if (end !== Infinity) this.endings.push(end, rec);
    }
    return removed;
  }

  family(family: string): Iterable<TokenRecord> {
    return this.byFamily.get(family) ?? [];
  }

  /** For listings, export and pruning; never on a request's path. */
  all(): IterableIterator<TokenRecord> {
    return this.ordered.values();
  }

  clear(): void {
    this.reindex([]);
    this.changed('all');
  }

  load(records: Iterable<TokenRecord>): void {
    this.reindex(records);
  }

  private reindex(records: Iterable<TokenRecord>): void {
    this.byKind.clear();
    this.byFamily.clear();
    this.ordered.clear();
    this.codeQueue = [];
    this.codeHead = 0;
    this.endings.clear();
    for (const rec of records) this.index(rec);
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  private changed(change: StoreChange): void {
    for (const l of this.listeners) l(change);
  }
}
