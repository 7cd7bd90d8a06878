/** What the sandbox remembers of every code and token it issued, whatever the platform. */
export const TOKEN_KINDS = ['code', 'access', 'refresh', 'temp'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export interface TokenRecord {
  value: string;
  platform: string;
  kind: TokenKind;
  appId: string;
  /** The user (or account) the token speaks for. */
  subject: string;
  scopes?: string[];
  /** Sandbox epoch milliseconds. */
  issuedAt: number;
  /** Sandbox epoch milliseconds; null = never expires. */
  expiresAt: number | null;
  /** The nominal lifetime announced to the client (seconds; null = never). */
  ttl: number | null;
  /** When a code was redeemed or a refresh token was exchanged. */
  usedAt?: number;
  revokedAt?: number;
  revokedReason?: RevokeReason;
  /** Until when a token replaced by a refresh keeps working (SOP's 600 s). */
  graceUntil?: number;
  /** Every token descending from one authorization shares a family (reuse detection revokes it whole). */
  family: string;
  /** The other half of an access/refresh pair. */
  pair?: string;
  /** A refresh token's successor after rotation. */
  replacedBy?: string;
  /** Platform data bound to the token (redirect URI of a code, openId, ...). */
  data?: Record<string, unknown>;
}

export const REVOKE_REASONS = ['destroyed', 'refreshed', 'family-reuse', 'admin'] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

export const TOKEN_STATES = ['active', 'expired', 'used', 'rotated', 'grace', 'revoked'] as const;
export type TokenState = (typeof TOKEN_STATES)[number];

/** The state a person would name, for the journal, the admin API and the dashboard. */
export function tokenState(rec: TokenRecord, now: number): TokenState {
  if (rec.revokedAt !== undefined) return rec.revokedReason === 'refreshed' ? 'rotated' : 'revoked';
  if (rec.usedAt !== undefined) return rec.kind === 'refresh' ? 'rotated' : 'used';
  if (rec.expiresAt !== null && now >= rec.expiresAt) return 'expired';
  if (rec.graceUntil !== undefined) return now >= rec.graceUntil ? 'expired' : 'grace';
  return 'active';
}

/**
 * When no rule needs a record any more, so that it may be forgotten `retainMs` later (kept that long so a late
 * caller still hears "expired" or "revoked" rather than "unknown"); Infinity while it may still be accepted.
 * A spent refresh token is kept until its own expiry: until then presenting it again is reuse, which may revoke
 * its family (the lifecycle checks expiry first, so after it the answer is "expired" either way). A revoked one
 * ends with the revocation; an access token in its grace period ends with the grace.
 */
export function forgetAt(rec: TokenRecord, retainMs: number): number {
  let end = rec.expiresAt ?? Infinity;
  // A refresh token marked 'refreshed' is a spent one (the lifecycle goes on to reuse detection), not a revoked one.
  if (rec.revokedAt !== undefined && !(rec.kind === 'refresh' && rec.revokedReason === 'refreshed')) end = Math.min(end, rec.revokedAt);
  if (rec.graceUntil !== undefined && rec.kind !== 'refresh') end = Math.min(end, rec.graceUntil);
  return end + retainMs;
}
