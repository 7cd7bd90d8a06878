import type { Clock } from '../time/clock.js';
import type { Random } from '../random/seeded-random.js';
import { then, type MaybePromise } from '../state/maybe-async.js';
import type { TokenBackend, TokenQuery, TokenTx } from '../state/token-backend.js';
import type { TokenKind, TokenRecord } from '../state/token-record.js';
import type { LifecyclePolicy } from './policy.js';

export type { TokenQuery } from '../state/token-backend.js';

export type ValueFormat = 'hex32' | 'uuid';

export interface IssueRequest {
  platform: string;
  appId: string;
  subject: string;
  scopes?: string[];
  data?: Record<string, unknown>;
  format?: ValueFormat;
}

export type CodeFailure = 'unknown' | 'used' | 'expired';
export type RefreshFailure = 'unknown' | 'used' | 'expired' | 'revoked' | 'access_still_valid';
export type AccessFailure = 'unknown' | 'expired' | 'revoked' | 'grace_expired';

export type Result<T, F> = { ok: true; value: T } | { ok: false; reason: F; record?: TokenRecord };

export interface TokenPair {
  access: TokenRecord;
  refresh: TokenRecord;
}

export interface RefreshOutcome extends TokenPair {
  /** The refresh token that was presented. */
  previous: TokenRecord;
}

export type PolicyLookup = (platform: string, appId: string) => LifecyclePolicy;

/**
 * The token lifecycle shared by every platform: issue, redeem, refresh, rotate, expire, revoke.
 * Platforms call it and map its failure reasons onto their own error catalogue; the policy of the
 * platform (fixtures, then scenarios) decides every rule. Each operation is one transaction of the
 * store, atomic between its checks and its writes (a refusal's writes too, such as a family revoked
 * on reuse), so concurrent requests, in one process or many, can never both spend one single-use value.
 * Operations answer as the store does: at once in memory, with a promise from a shared store. The
 * views the control plane awaits (count, list, seed) always answer with a promise.
 */
export class TokenLifecycle {
  constructor(
    private readonly store: TokenBackend,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly policyOf: PolicyLookup,
  ) {}

  policy(platform: string, appId: string): LifecyclePolicy {
    return this.policyOf(platform, appId);
  }

  issue(kind: TokenKind, req: IssueRequest, family?: string): MaybePromise<TokenRecord> {
    return this.store.transact((tx) => this.issueIn(tx, kind, req, family));
  }

  issueCode(req: IssueRequest): MaybePromise<TokenRecord> {
    return then(this.store.prune(this.clock.now()), () => this.issue('code', req));
  }

  /** A pair without a code (a password login): like a code, it is where old records are forgotten. */
  issuePair(req: IssueRequest, family?: string, refreshFormat?: ValueFormat): MaybePromise<TokenPair> {
    return then(this.store.prune(this.clock.now()), () => this.store.transact((tx) => this.pairIn(tx, req, family, refreshFormat)));
  }

  /** Spend an authorization code. A code of another app is reported as unknown, as a real server would. */
  redeemCode(platform: string, value: string, appId?: string): MaybePromise<Result<TokenRecord, CodeFailure>> {
    return this.store.transact((tx) => this.redeemIn(tx, platform, value, appId));
  }

  /** Spend a code and issue the pair it stands for, as one operation: a code can never yield two pairs unless the policy allows reuse. */
  exchangeCode(
    platform: string,
    value: string,
    appId: string | undefined,
    pair: (code: TokenRecord) => IssueRequest,
  ): MaybePromise<Result<TokenPair & { code: TokenRecord }, CodeFailure>> {
    return this.store.transact((tx) => {
      const redeemed = this.redeemIn(tx, platform, value, appId);
      if (!redeemed.ok) return redeemed;
      return { ok: true, value: { ...this.pairIn(tx, pair(redeemed.value), redeemed.value.family), code: redeemed.value } };
    });
  }

  checkAccess(platform: string, value: string, kind: TokenKind = 'access'): MaybePromise<Result<TokenRecord, AccessFailure>> {
    return this.store.transact((tx) => this.accessIn(tx, platform, value, kind));
  }

  refresh(platform: string, value: string, appId?: string, format?: ValueFormat): MaybePromise<Result<RefreshOutcome, RefreshFailure>> {
    return then(this.store.prune(this.clock.now()), () => this.store.transact((tx) => this.refreshIn(tx, platform, value, appId, format)));
  }

  /** Revoke one record (it stays, marked); nothing happens to one already revoked. */
  revoke(rec: TokenRecord, reason: 'destroyed' | 'admin' = 'destroyed'): MaybePromise<void> {
    return this.store.transact((tx) => {
      const live = tx.get(rec.platform, rec.kind, rec.value);
      if (live && live.revokedAt === undefined) tx.update(live, { revokedAt: this.clock.now(), revokedReason: reason });
    });
  }

  /** Make a token expire now (admin and dashboard). */
  expire(rec: TokenRecord): MaybePromise<void> {
    return this.store.transact((tx) => {
      const live = tx.get(rec.platform, rec.kind, rec.value);
      if (live) tx.update(live, { expiresAt: this.clock.now() });
    });
  }

  /** A record as it stands, without using it (a check that must not spend a single-use value). */
  find(platform: string, kind: TokenKind, value: string): MaybePromise<TokenRecord | undefined> {
    return this.store.find(platform, kind, value);
  }

  async count(): Promise<number> {
    return this.store.count();
  }

  /** Records in issue order (or newest first), filtered, at most `limit`. */
  async list(query: TokenQuery = {}): Promise<TokenRecord[]> {
    return this.store.list(query);
  }

  /** Put records in as they are (a scenario's state, a saved world), replacing any with the same value. */
  async seed(records: readonly TokenRecord[]): Promise<void> {
    return this.store.seed(records);
  }

  private issueIn(tx: TokenTx, kind: TokenKind, req: IssueRequest, family?: string): TokenRecord {
    const policy = this.policyOf(req.platform, req.appId);
    const now = this.clock.now();
    const ttl = policy.lifetimes[kind];
    const rec: TokenRecord = {
      value: this.newValue(tx, req.platform, kind, req.format ?? 'hex32'),
      platform: req.platform,
      kind,
      appId: req.appId,
      subject: req.subject,
      issuedAt: now,
      // Expired on issue wins even over "never expires": the platform announces a lifetime it does not honour.
      expiresAt: expiredOnIssue(policy, kind) ? now : ttl === null ? null : now + ttl * 1000,
      ttl,
      family: family ?? this.random.hex(8),
    };
    if (req.scopes) rec.scopes = req.scopes;
    if (req.data) rec.data = req.data;
    tx.insert(rec);
    return rec;
  }

  private pairIn(tx: TokenTx, req: IssueRequest, family?: string, refreshFormat?: ValueFormat): TokenPair {
    const access = this.issueIn(tx, 'access', req, family);
    const refresh = this.issueIn(tx, 'refresh', { ...req, format: refreshFormat ?? req.format }, access.family);
    return { access: tx.update(access, { pair: refresh.value }), refresh: tx.update(refresh, { pair: access.value }) };
  }

  private redeemIn(tx: TokenTx, platform: string, value: string, appId?: string): Result<TokenRecord, CodeFailure> {
    const rec = tx.get(platform, 'code', value);
    if (!rec || (appId !== undefined && rec.appId !== appId)) return { ok: false, reason: 'unknown' };
    const policy = this.policyOf(platform, rec.appId);
    if (rec.usedAt !== undefined && policy.codeSingleUse) return { ok: false, reason: 'used', record: rec };
    const now = this.clock.now();
    if (rec.expiresAt !== null && now >= rec.expiresAt) return { ok: false, reason: 'expired', record: rec };
    return { ok: true, value: rec.usedAt === undefined ? tx.update(rec, { usedAt: now }) : rec };
  }

  private accessIn(tx: TokenTx, platform: string, value: string, kind: TokenKind): Result<TokenRecord, AccessFailure> {
    const rec = tx.get(platform, kind, value);
    if (!rec) return { ok: false, reason: 'unknown' };
    if (rec.revokedAt !== undefined) return { ok: false, reason: 'revoked', record: rec };
    const now = this.clock.now();
    if (rec.expiresAt !== null && now >= rec.expiresAt) return { ok: false, reason: 'expired', record: rec };
    if (rec.graceUntil !== undefined && now >= rec.graceUntil) return { ok: false, reason: 'grace_expired', record: rec };
    return { ok: true, value: rec };
  }

  private refreshIn(tx: TokenTx, platform: string, value: string, appId?: string, format?: ValueFormat): Result<RefreshOutcome, RefreshFailure> {
    const rec = tx.get(platform, 'refresh', value);
    if (!rec || (appId !== undefined && rec.appId !== appId)) return { ok: false, reason: 'unknown' };
    const policy = this.policyOf(platform, rec.appId);
    const now = this.clock.now();
    if (rec.revokedAt !== undefined && rec.revokedReason !== 'refreshed') return { ok: false, reason: 'revoked', record: rec };
    if (rec.expiresAt !== null && now >= rec.expiresAt) return { ok: false, reason: 'expired', record: rec };
    if (rec.usedAt !== undefined && !reuseAllowed(policy, now - rec.usedAt)) {
      // A refusal that changes state: the store keeps this revocation even though the answer is a failure.
      if (policy.reuseRevokesFamily) this.revokeFamily(tx, rec.family, 'family-reuse', now);
      return { ok: false, reason: 'used', record: rec };
    }
    const oldAccess = rec.pair ? tx.get(platform, 'access', rec.pair) : undefined;
    if (policy.refreshRequiresExpiredAccess && oldAccess && this.accessIn(tx, platform, oldAccess.value, 'access').ok) {
      return { ok: false, reason: 'access_still_valid', record: rec };
    }
    const base: IssueRequest = { platform, appId: rec.appId, subject: rec.subject, scopes: rec.scopes, data: rec.data, format };
    const access = this.issueIn(tx, 'access', base, rec.family);
    let refresh: TokenRecord;
    let previous = rec;
    if (policy.rotateRefresh) {
      refresh = this.issueIn(tx, 'refresh', base, rec.family);
      previous = tx.update(rec, { usedAt: rec.usedAt ?? now, replacedBy: refresh.value });
    } else {
      refresh = rec;
    }
    const newAccess = tx.update(access, { pair: refresh.value });
    const newRefresh = tx.update(policy.rotateRefresh ? refresh : previous, { pair: access.value });
    if (!policy.rotateRefresh) previous = newRefresh;
    if (oldAccess && oldAccess.revokedAt === undefined) this.retire(tx, oldAccess, policy, now);
    return { ok: true, value: { access: newAccess, refresh: newRefresh, previous } };
  }

  private revokeFamily(tx: TokenTx, family: string, reason: 'family-reuse' | 'admin', now: number): void {
    for (const member of tx.family(family)) {
      if (member.revokedAt === undefined) tx.update(member, { revokedAt: now, revokedReason: reason });
    }
  }

  private retire(tx: TokenTx, oldAccess: TokenRecord, policy: LifecyclePolicy, now: number): void {
    const rule = policy.oldAccessAfterRefresh;
    if (rule === 'keep') return;
    if (rule === 'revoke') {
      tx.update(oldAccess, { revokedAt: now, revokedReason: 'refreshed' });
      return;
    }
    const until = now + rule.graceSeconds * 1000;
    if (oldAccess.expiresAt === null || until < oldAccess.expiresAt) tx.update(oldAccess, { graceUntil: until });
  }

  private newValue(tx: TokenTx, platform: string, kind: TokenKind, format: ValueFormat): string {
    // A collision of 128 random bits will not happen, but a seeded generator shared by sessions could repeat.
    for (;;) {
      const value = format === 'uuid' ? this.random.uuid() : this.random.hex(16);
      if (!tx.taken(platform, kind, value)) return value;
    }
  }
}

function reuseAllowed(policy: LifecyclePolicy, sinceUseMs: number): boolean {
  const rule = policy.refreshReuse;
  if (rule === 'reject') return false;
  if (rule === 'accept') return true;
  return sinceUseMs <= rule.withinSeconds * 1000;
}

function expiredOnIssue(policy: LifecyclePolicy, kind: TokenKind): boolean {
  const rule = policy.expiredOnIssue;
  return rule === true || (Array.isArray(rule) && rule.includes(kind));
}
