import type { z } from 'zod';
import { MAX_LIFETIME_SECONDS } from '../time/clock.js';
import type { AnyPlatform } from '../platform.js';
import type { policyOverrideSchema } from './policy-schema.js';

/**
 * Overrides of the token rules, as fixtures (per platform, per app) and scenarios write them. The
 * type is the schema's own (a type-only import: nothing of zod loads at run time).
 */
export type PolicyOverride = z.infer<typeof policyOverrideSchema>;

/**
 * How tokens live and die on one platform: every field of an override, all present. Lifetimes are
 * seconds; null means "never expires".
 */
export type LifecyclePolicy = {
  [K in keyof PolicyOverride]-?: K extends 'lifetimes' ? Required<NonNullable<PolicyOverride['lifetimes']>> : NonNullable<PolicyOverride[K]>;
};

/** Policy overrides that scenarios lay over the fixtures: for every platform, then per platform. */
export interface PolicyOverrides {
  all?: PolicyOverride;
  platforms?: Record<string, PolicyOverride>;
}

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

/** Overrides laid over a policy in order, field by field; lifetimes merge per kind. */
export function applyPolicy(base: LifecyclePolicy, ...overrides: (PolicyOverride | undefined)[]): LifecyclePolicy {
  let out = base;
  for (const o of overrides) {
    if (o) out = mergeOverride(out, o) as LifecyclePolicy;
  }
  return out;
}

/** Field by field, `over` winning; lifetimes merge per kind. The one merge of policies and overrides alike. */
export function mergeOverride<T extends PolicyOverride | undefined>(base: T, over: PolicyOverride | undefined): T | PolicyOverride | undefined {
  if (!over) return base;
  if (!base) return over;
  const out: PolicyOverride = { ...base, ...over };
  if (base.lifetimes || over.lifetimes) out.lifetimes = { ...base.lifetimes, ...over.lifetimes };
  return out;
}

/**
 * One app's policy: the platform's rules, the fixture's `policy`, the app's own (and what the platform
 * derives for it), then the scenarios' overrides for every platform and for this one.
 */
export function composePolicy(platform: AnyPlatform, fixture: unknown, index: unknown, appId: string, scenarios: PolicyOverrides): LifecyclePolicy {
  const fromFixture = applyPolicy(platform.basePolicy, (fixture as { policy?: PolicyOverride } | undefined)?.policy);
  const fromApp = applyPolicy(fromFixture, platform.appPolicy?.(fixture, index, appId, fromFixture));
  return capLifetimes(applyPolicy(fromApp, scenarios.all, scenarios.platforms?.[platform.id]));
}

/**
 * Files are held to 100-year lifetimes by their schemas; a platform's derived one (UserCenter's refresh
 * = refreshFactor × access) is held here, so every expiry stays a date the platforms can print.
 */
function capLifetimes(policy: LifecyclePolicy): LifecyclePolicy {
  const lifetimes = policy.lifetimes;
  if (!Object.values(lifetimes).some((s) => s !== null && !(s <= MAX_LIFETIME_SECONDS))) return policy;
  const capped = Object.fromEntries(Object.entries(lifetimes).map(([k, s]) => [k, s === null ? null : Math.min(s, MAX_LIFETIME_SECONDS)]));
  return { ...policy, lifetimes: capped as LifecyclePolicy['lifetimes'] };
}
