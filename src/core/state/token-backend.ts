import type { MaybePromise } from './maybe-async.js';
import type { TokenKind, TokenRecord } from './token-record.js';

/**
 * What one lifecycle operation sees of the store: reads, and writes that land together. An operation
 * is a synchronous function of what it reads; the store runs it atomically (the in-memory store at
 * once; a shared store checks at commit that nothing it read has changed, and runs it again if it has).
 * Records read are not changed in place: `update` returns the record as it now stands.
 */
export interface TokenTx {
  get(platform: string, kind: TokenKind, value: string): TokenRecord | undefined;
  /** Every record of a token family (reuse detection revokes it whole). */
  family(family: string): TokenRecord[];
  /** Is a freshly drawn value already taken? A shared store answers false and refuses a duplicate at commit. */
  taken(platform: string, kind: TokenKind, value: string): boolean;
  insert(rec: TokenRecord): void;
  update(rec: TokenRecord, patch: Partial<TokenRecord>): TokenRecord;
}

/** What GET /__sandbox/tokens and the dashboard ask for. */
export interface TokenQuery {
  platform?: string;
  kind?: TokenKind;
  /** Keep records for which this says true (state filters, by the sandbox clock). */
  where?: (rec: TokenRecord) => boolean;
  limit?: number;
  /** Issue order (default) or newest first. */
  order?: 'oldest' | 'newest';
}

/**
 * Where a world's codes and tokens live: in this process (which answers at once), or in a store
 * several processes share (which answers with a promise).
 */
export interface TokenBackend {
  transact<T>(op: (tx: TokenTx) => T): MaybePromise<T>;
  find(platform: string, kind: TokenKind, value: string): MaybePromise<TokenRecord | undefined>;
  list(query?: TokenQuery): MaybePromise<TokenRecord[]>;
  count(): MaybePromise<number>;
  /** Put records in as they are (a scenario's state), replacing any with the same value. */
  seed(records: readonly TokenRecord[]): MaybePromise<void>;
  /**
   * Forget codes and tokens no rule needs any more (ended a day of sandbox time ago: see forgetAt), so minting
   * codes, logins or refreshes in a loop cannot grow the store without end.
   */
  prune(now: number): MaybePromise<void>;
  clear(): MaybePromise<void>;
  /** Called after every change (a shared store has no per-record events to follow). */
  onChange?(listener: () => void): void;
}
