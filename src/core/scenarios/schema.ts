import { z } from 'zod';
import { MAX_LIFETIME_SECONDS } from '../time/clock.js';
import { REVOKE_REASONS, TOKEN_KINDS } from '../state/token-record.js';
import { policyOverrideSchema } from '../tokens/policy-schema.js';
import { faultRuleSchema } from './fault-rule-schema.js';
import { INSTANT_HINT } from './time.js';
import { absoluteInstant, instant, NAME, NAME_HINT, signedDuration } from './value-schemas.js';

/**
 * The scenario file: what goes wrong, laid over the fixtures. Every section is optional so a file
 * can say one thing ("access tokens live 5 s"); several files compose, later ones winning field by field.
 * Scenario files travel as bug-report attachments, so every value is bounded (value-schemas.ts): no
 * number a clock, a timer or an HTTP answer cannot hold gets past the schema. A fault rule has its own
 * file (fault-rule-schema.ts).
 */

export const clockSchema = z
  .object({
    start: absoluteInstant.optional().describe('Set the sandbox clock to this instant when the scenario is activated'),
    skew: signedDuration.optional().describe('Run the sandbox clock ahead ("+5m") or behind ("-5m") the host (after `start` when both are given)'),
    rate: z.number().min(0).max(1_000_000).optional().describe('Sandbox seconds per host second: 60 runs a minute per second, 0 freezes time'),
  })
  .strict();

export const seedTokenSchema = z
  .object({
    platform: z.string().min(1),
    kind: z.enum(TOKEN_KINDS),
    value: z.string().min(1).describe('The code or token exactly as the client holds it'),
    appId: z.string().min(1).describe('The app (client id / app key) it was issued to'),
    subject: z.string().min(1).describe('The user it speaks for'),
    scopes: z.array(z.string()).optional(),
    issuedAt: instant.optional().describe('Default: the sandbox time at activation'),
    expiresAt: z
      .union([instant, z.null()], { error: `expected ${INSTANT_HINT}, or null (never)` })
      .optional()
      .describe('Default: issuedAt + expiresIn, or + the policy lifetime'),
    expiresIn: z
      .number()
      .int()
      .min(0)
      .max(MAX_LIFETIME_SECONDS, { error: `expected a lifetime of at most ${MAX_LIFETIME_SECONDS} seconds (100 years)` })
      .optional()
      .describe('Lifetime in seconds from issuedAt (instead of expiresAt)'),
    ttl: z
      .number()
      .int()
      .min(0)
      .max(MAX_LIFETIME_SECONDS, { error: `expected a lifetime of at most ${MAX_LIFETIME_SECONDS} seconds (100 years)` })
      .nullable()
      .optional()
      .describe('The lifetime announced to the client (default: expiresIn, or the policy lifetime)'),
    used: z.boolean().optional().describe('Already redeemed (codes) or exchanged (refresh tokens), at issuedAt'),
    usedAt: instant.optional(),
    revokedAt: instant.optional(),
    revokedReason: z.enum(REVOKE_REASONS).optional(),
    graceUntil: instant.optional(),
    family: z.string().min(1).optional().describe('Tokens of one authorization share a family (reuse detection revokes it whole)'),
    pair: z.string().min(1).optional().describe('The other half of an access/refresh pair'),
    replacedBy: z.string().min(1).optional(),
    data: z.record(z.string(), z.unknown()).optional().describe('Platform data bound to the token (redirectUri of a code, openId, ...)'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.expiresAt !== undefined && t.expiresIn !== undefined)
      ctx.addIssue({ code: 'custom', path: ['expiresIn'], message: 'give "expiresAt" or "expiresIn", not both' });
  });

export const stateSchema = z
  .object({
    tokens: z.array(seedTokenSchema).optional().describe('Codes and tokens inserted into the store on activation'),
    platformState: z.record(z.string(), z.unknown()).optional().describe('Per platform, its mutable data (device states, ...) as export wrote it'),
  })
  .strict();

export const platformSectionSchema = z.object({ policy: policyOverrideSchema.optional() }).strict();

export const scenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().regex(NAME, `expected ${NAME_HINT}`).optional().describe('Defaults to the file name without .json'),
    description: z.string().optional().describe('What this scenario reproduces'),
    policy: policyOverrideSchema.optional().describe('Token lifecycle rules for every platform'),
    platforms: z.record(z.string(), platformSectionSchema).optional().describe('Token lifecycle rules for one platform, over `policy`'),
    clock: clockSchema.optional(),
    random: z
      .object({ seed: z.string().min(1), draws: z.number().int().min(0).optional() })
      .strict()
      .optional()
      .describe('Seed the generator of issued codes and tokens (export also records how far it had drawn)'),
    faults: z.array(faultRuleSchema).optional().describe('Fault rules; the first that fires shapes the answer'),
    state: stateSchema.optional(),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type { FaultRule, FaultResponse } from './fault-rule-schema.js';
export type SeedToken = z.infer<typeof seedTokenSchema>;
export type ScenarioClock = z.infer<typeof clockSchema>;
