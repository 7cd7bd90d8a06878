/**
 * How tokens live and die on one platform. Platform fixtures give the defaults; scenarios override
 * them field by field. Lifetimes are seconds; null means "never expires".
 */
export interface LifecyclePolicy {
  lifetimes: { code: number | null; access: number | null; refresh: number | null; temp: number | null };
  /** Issue tokens that are already past their expiry, even kinds that never expire (clock-skew bugs): all kinds, or only those listed. */
  expiredOnIssue: boolean | ('code' | 'access' | 'refresh' | 'temp')[];
  codeSingleUse: boolean;
  /** Refresh issues a new refresh token (true) or hands the same one back (false). */
  rotateRefresh: boolean;
  /** What happens when a refresh token that was already exchanged comes back. */
  refreshReuse: 'reject' | 'accept' | { withinSeconds: number };
  /** Reuse of a spent refresh token revokes every token of its family. */
  reuseRevokesFamily: boolean;
  /** What happens to the access token a refresh replaced. */
  oldAccessAfterRefresh: 'keep' | 'revoke' | { graceSeconds: number };
  /** Refuse a refresh while the paired access token is still valid (UserCenter's status 5). */
  refreshRequiresExpiredAccess: boolean;
}

export type PolicyOverride = {
  [K in keyof LifecyclePolicy]?: K extends 'lifetimes' ? Partial<LifecyclePolicy['lifetimes']> : LifecyclePolicy[K];
};

/**
 * The rules most OAuth servers follow; a platform states only where it differs (and its lifetimes).
 * Single-use codes, rotating single-use refresh tokens, and the old access token left to expire.
 */
export function platformPolicy(lifetimes: LifecyclePolicy['lifetimes'], differences: Omit<PolicyOverride, 'lifetimes'> = {}): LifecyclePolicy {
  return applyPolicy(
    {
      lifetimes,
      expiredOnIssue: false,
      codeSingleUse: true,
      rotateRefresh: true,
      refreshReuse: 'reject',
      reuseRevokesFamily: false,
      oldAccessAfterRefresh: 'keep',
      refreshRequiresExpiredAccess: false,
    },
    differences,
  );
}

export function applyPolicy(base: LifecyclePolicy, ...overrides: (PolicyOverride | undefined)[]): LifecyclePolicy {
  let out = base;
  for (const o of overrides) {
    if (!o) continue;
    out = { ...out, ...o, lifetimes: { ...out.lifetimes, ...(o.lifetimes ?? {}) } } as LifecyclePolicy;
  }
  return out;
}
