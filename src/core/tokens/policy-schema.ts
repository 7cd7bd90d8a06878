import { z } from 'zod';
import { TOKEN_KINDS } from '../state/token-record.js';

const lifetime = z.number().int().min(0).nullable();

/** The schema of a policy override, used by fixtures (per platform, per app) and scenarios alike. */
export const policyOverrideSchema = z
  .object({
    lifetimes: z
      .object({ code: lifetime, access: lifetime, refresh: lifetime, temp: lifetime })
      .partial()
      .strict()
      .optional(),
    expiredOnIssue: z.union([z.boolean(), z.array(z.enum(TOKEN_KINDS))]).optional(),
    codeSingleUse: z.boolean().optional(),
    rotateRefresh: z.boolean().optional(),
    refreshReuse: z
      .union([z.literal('reject'), z.literal('accept'), z.object({ withinSeconds: z.number().int().min(0) }).strict()])
      .optional(),
    reuseRevokesFamily: z.boolean().optional(),
    oldAccessAfterRefresh: z
      .union([z.literal('keep'), z.literal('revoke'), z.object({ graceSeconds: z.number().int().min(0) }).strict()])
      .optional(),
    refreshRequiresExpiredAccess: z.boolean().optional(),
  })
  .strict();
