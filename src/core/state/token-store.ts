import type { TokenKind, TokenRecord } from './token-record.js';

type Listener = () => void;

const keyOf = (platform: string, kind: TokenKind, value: string): string => `${platform}\u0000${kind}\u0000${value}`;

/**
 * Every code and token of one world, indexed so that every lookup the protocols need is a map hit:
 * by value (all requests) and by family (reuse detection). Nothing here scans the whole store.
 */
export class TokenStore {
  private readonly byKey = new Map<string, TokenRecord>();
  private readonly byFamily = new Map<string, Set<TokenRecord>>();
  private readonly listeners: Listener[] = [];
  /** Codes in issue order, so expired ones can be dropped from the front without a scan. */
  private codeQueue: TokenRecord[] = [];
  private codeHead = 0;

  get size(): number {
    return this.byKey.size;
  }

  get(platform: string, kind: TokenKind, value: string): TokenRecord | undefined {
    return this.byKey.get(keyOf(platform, kind, value));
  }

  has(platform: string, kind: TokenKind, value: string): boolean {
    return this.byKey.has(keyOf(platform, kind, value));
  }

  insert(rec: TokenRecord): void {
    this.byKey.set(keyOf(rec.platform, rec.kind, rec.value), rec);
    if (rec.kind === 'code') this.codeQueue.push(rec);
    let fam = this.byFamily.get(rec.family);
    if (!fam) this.byFamily.set(rec.family, (fam = new Set()));
    fam.add(rec);
    this.changed();
  }

  /** Mutate a record in place and tell the persistence layer. */
  update(rec: TokenRecord, patch: Partial<TokenRecord>): TokenRecord {
    Object.assign(rec, patch);
    this.changed();
    return rec;
  }

  remove(rec: TokenRecord): void {
    this.byKey.delete(keyOf(rec.platform, rec.kind, rec.value));
    const fam = this.byFamily.get(rec.family);
    if (fam) {
      fam.delete(rec);
      if (fam.size === 0) this.byFamily.delete(rec.family);
    }
    this.changed();
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
      const live = this.byKey.get(keyOf(rec.platform, rec.kind, rec.value)) === rec;
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

  family(family: string): Iterable<TokenRecord> {
    return this.byFamily.get(family) ?? [];
  }

  /** For listings, export and pruning; never on a request's path. */
  all(): IterableIterator<TokenRecord> {
    return this.byKey.values();
  }

  clear(): void {
    this.byKey.clear();
    this.byFamily.clear();
    this.codeQueue = [];
    this.codeHead = 0;
    this.changed();
  }

  load(records: Iterable<TokenRecord>): void {
    this.byKey.clear();
    this.byFamily.clear();
    this.codeQueue = [];
    this.codeHead = 0;
    for (const rec of records) {
      if (rec.kind === 'code') this.codeQueue.push(rec);
      this.byKey.set(keyOf(rec.platform, rec.kind, rec.value), rec);
      let fam = this.byFamily.get(rec.family);
      if (!fam) this.byFamily.set(rec.family, (fam = new Set()));
      fam.add(rec);
    }
  }

  /** Platform data kept beside the tokens changed: persist it with them. */
  onChangeNotify(): void {
    this.changed();
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
