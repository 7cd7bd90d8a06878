import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { TokenKind, TokenRecord } from '../state/token-record.js';
import type { TokenStore } from '../state/token-store.js';
import type { LifecyclePolicy } from './policy.js';

export type ValueFormat = 'hex32' | 'uuid';

/** Expired codes are remembered this long (to answer "expired", not "unknown"), and at most this many codes overall. */
const CODE_RETENTION_MS = 24 * 3600 * 1000;
const MAX_CODES = 100_000;

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
 * The token lifecycle shared by every platform: issue, redeem, refresh, rotate, expire, revoke.
 * Platforms call it and map its failure reasons onto their own error catalogue; the policy of the
 * platform (fixtures, then scenarios) decides every rule. Every operation is asynchronous to its
 * callers (a shared store answers over the network) and atomic between its check and its write,
 * so concurrent requests can never both spend one single-use value.
 */
export class TokenLifecycle {
  constructor(
    private readonly store: TokenStore,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly policyOf: PolicyLookup,
  ) {}

  policy(platform: string, appId: string): LifecyclePolicy {
    return this.policyOf(platform, appId);
  }

  async issue(kind: TokenKind, req: IssueRequest, family?: string): Promise<TokenRecord> {
    return this.issueNow(kind, req, family);
  }

  private issueNow(kind: TokenKind, req: IssueRequest, family?: string): TokenRecord {
    const policy = this.policyOf(req.platform, req.appId);
    const now = this.clock.now();
    const ttl = policy.lifetimes[kind];
    const value = this.newValue(req.platform, kind, req.format ?? 'hex32');
    const rec: TokenRecord = {
      value,
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
    this.store.insert(rec);
    return rec;
  }

  async issueCode(req: IssueRequest): Promise<TokenRecord> {
    this.store.pruneCodes(this.clock.now(), CODE_RETENTION_MS, MAX_CODES);
    return this.issueNow('code', req);
  }

  async issuePair(req: IssueRequest, family?: string, refreshFormat?: ValueFormat): Promise<TokenPair> {
    const access = this.issueNow('access', req, family);
    const refresh = this.issueNow('refresh', { ...req, format: refreshFormat ?? req.format }, access.family);
    this.store.update(access, { pair: refresh.value });
    this.store.update(refresh, { pair: access.value });
    return { access, refresh };
  }

  /** Spend an authorization code. A code of another app is reported as unknown, as a real server would. */
  async redeemCode(platform: string, value: string, appId?: string): Promise<Result<TokenRecord, CodeFailure>> {
    const rec = this.store.get(platform, 'code', value);
    if (!rec || (appId !== undefined && rec.appId !== appId)) return { ok: false, reason: 'unknown' };
    const policy = this.policyOf(platform, rec.appId);
    if (rec.usedAt !== undefined && policy.codeSingleUse) return { ok: false, reason: 'used', record: rec };
    const now = this.clock.now();
    if (rec.expiresAt !== null && now >= rec.expiresAt) return { ok: false, reason: 'expired', record: rec };
    if (rec.usedAt === undefined) this.store.update(rec, { usedAt: now });
    return { ok: true, value: rec };
  }

  async checkAccess(platform: string, value: string, kind: TokenKind = 'access'): Promise<Result<TokenRecord, AccessFailure>> {
    return this.accessNow(platform, value, kind);
  }

  private accessNow(platform: string, value: string, kind: TokenKind = 'access'): Result<TokenRecord, AccessFailure> {
    const rec = this.store.get(platform, kind, value);
    if (!rec) return { ok: false, reason: 'unknown' };
    if (rec.revokedAt !== undefined) return { ok: false, reason: 'revoked', record: rec };
    const now = this.clock.now();
    if (rec.expiresAt !== null && now >= rec.expiresAt) return { ok: false, reason: 'expired', record: rec };
    if (rec.graceUntil !== undefined && now >= rec.graceUntil) return { ok: false, reason: 'grace_expired', record: rec };
    return { ok: true, value: rec };
  }

  async refresh(platform: string, value: string, appId?: string, format?: ValueFormat): Promise<Result<RefreshOutcome, RefreshFailure>> {
    const rec = this.store.get(platform, 'refresh', value);
    if (!rec || (appId !== undefined && rec.appId !== appId)) return { ok: false, reason: 'unknown' };
    const policy = this.policyOf(platform, rec.appId);
    const now = this.clock.now();
    if (rec.revokedAt !== undefined && rec.revokedReason !== 'refreshed') return { ok: false, reason: 'revoked', record: rec };
    if (rec.expiresAt !== null && now >= rec.expiresAt) return { ok: false, reason: 'expired', record: rec };
    if (rec.usedAt !== undefined && !this.reuseAllowed(policy, now - rec.usedAt)) {
      if (policy.reuseRevokesFamily) this.revokeFamily(rec.family, 'family-reuse');
      return { ok: false, reason: 'used', record: rec };
    }
    const oldAccess = rec.pair ? this.store.get(platform, 'access', rec.pair) : undefined;
    if (policy.refreshRequiresExpiredAccess && oldAccess && this.accessNow(platform, oldAccess.value).ok) {
      return { ok: false, reason: 'access_still_valid', record: rec };
    }
    const base: IssueRequest = { platform, appId: rec.appId, subject: rec.subject, scopes: rec.scopes, data: rec.data, format };
    const access = this.issueNow('access', base, rec.family);
    let refresh: TokenRecord;
    if (policy.rotateRefresh) {
      refresh = this.issueNow('refresh', base, rec.family);
      this.store.update(rec, { usedAt: rec.usedAt ?? now, replacedBy: refresh.value });
    } else {
      refresh = rec;
    }
    this.store.update(access, { pair: refresh.value });
    this.store.update(refresh, { pair: access.value });
    if (oldAccess && oldAccess.revokedAt === undefined) this.retire(oldAccess, policy, now);
    return { ok: true, value: { access, refresh, previous: rec } };
  }

  async revoke(rec: TokenRecord, reason: 'destroyed' | 'admin' = 'destroyed'): Promise<void> {
    const live = this.store.get(rec.platform, rec.kind, rec.value);
    if (live && live.revokedAt === undefined) this.store.update(live, { revokedAt: this.clock.now(), revokedReason: reason });
  }

  /** Make a token expire now (admin and dashboard). */
  async expire(rec: TokenRecord): Promise<void> {
    const live = this.store.get(rec.platform, rec.kind, rec.value);
    if (live) this.store.update(live, { expiresAt: this.clock.now() });
  }

  /** A record as it stands, without using it (a check that must not spend a single-use value). */
  async find(platform: string, kind: TokenKind, value: string): Promise<TokenRecord | undefined> {
    return this.store.get(platform, kind, value);
  }

  /** Every record in issue order, for export (the in-memory store answers at once). */
  all(): Iterable<TokenRecord> {
    return this.store.all();
  }

  async count(): Promise<number> {
    return this.store.size;
  }

  /** Records in issue order (or newest first), filtered, at most `limit`. */
  async list(q: TokenQuery = {}): Promise<TokenRecord[]> {
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

  /** Put records in as they are (a scenario's state, a saved world), replacing any with the same value. */
  async seed(records: Iterable<TokenRecord>): Promise<void> {
    for (const rec of records) {
      const existing = this.store.get(rec.platform, rec.kind, rec.value);
      if (existing) this.store.remove(existing);
      this.store.insert(rec);
    }
  }

  private revokeFamily(family: string, reason: 'family-reuse' | 'admin'): void {
    const now = this.clock.now();
    for (const member of this.store.family(family)) {
      if (member.revokedAt === undefined) this.store.update(member, { revokedAt: now, revokedReason: reason });
    }
  }

  private retire(oldAccess: TokenRecord, policy: LifecyclePolicy, now: number): void {
    const rule = policy.oldAccessAfterRefresh;
    if (rule === 'keep') return;
    if (rule === 'revoke') {
      this.store.update(oldAccess, { revokedAt: now, revokedReason: 'refreshed' });
      return;
    }
    const until = now + rule.graceSeconds * 1000;
    if (oldAccess.expiresAt === null || until < oldAccess.expiresAt) this.store.update(oldAccess, { graceUntil: until });
  }

  private reuseAllowed(policy: LifecyclePolicy, sinceUseMs: number): boolean {
    const rule = policy.refreshReuse;
    if (rule === 'reject') return false;
    if (rule === 'accept') return true;
    return sinceUseMs <= rule.withinSeconds * 1000;
  }

  private newValue(platform: string, kind: TokenKind, format: ValueFormat): string {
    // A collision of 128 random bits will not happen, but a seeded generator shared by sessions could repeat.
    for (;;) {
      const value = format === 'uuid' ? this.random.uuid() : this.random.hex(16);
      if (!this.store.has(platform, kind, value)) return value;
    }
  }
}

function expiredOnIssue(policy: LifecyclePolicy, kind: TokenKind): boolean {
  const rule = policy.expiredOnIssue;
  return rule === true || (Array.isArray(rule) && rule.includes(kind));
}
