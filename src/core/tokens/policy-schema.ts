import { z } from 'zod';
import { MAX_LIFETIME_SECONDS } from '../time/clock.js';
import { TOKEN_KINDS } from '../state/token-record.js';

/** Seconds, at most 100 years: every expiry the sandbox derives stays a date the platforms can print. */
const seconds = () =>
  z
    .number()
    .int()
    .min(0)
    .max(MAX_LIFETIME_SECONDS, { error: `expected at most ${MAX_LIFETIME_SECONDS} seconds (100 years)` });
const lifetime = seconds().nullable();

/** The schema of a policy override, used by fixtures (per platform, per app) and scenarios alike. */
export const policyOverrideSchema = z
  .object({
    lifetimes: z.object({ code: lifetime, access: lifetime, refresh: lifetime, temp: lifetime }).partial().strict().optional(),
    expiredOnIssue: z.union([z.boolean(), z.array(z.enum(TOKEN_KINDS))]).optional(),
    codeSingleUse: z.boolean().optional(),
    rotateRefresh: z.boolean().optional(),
    refreshReuse: z.union([z.literal('reject'), z.literal('accept'), z.object({ withinSeconds: seconds() }).strict()]).optional(),
    reuseRevokesFamily: z.boolean().optional(),
    oldAccessAfterRefresh: z.union([z.literal('keep'), z.literal('revoke'), z.object({ graceSeconds: seconds() }).strict()]).optional(),
    refreshRequiresExpiredAccess: z.boolean().optional(),
  })
  .strict();
