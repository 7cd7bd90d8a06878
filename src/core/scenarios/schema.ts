import { validateHeaderName, validateHeaderValue } from 'node:http';
import { z } from 'zod';
import { matcherMapSchema } from '../matching/value-matcher-schema.js';
import { MAX_LIFETIME_SECONDS, MAX_SPAN_MS, TIME_RANGE } from '../time/clock.js';
import { REVOKE_REASONS, TOKEN_KINDS } from '../state/token-record.js';
import { policyOverrideSchema } from '../tokens/policy-schema.js';
import {
  absoluteInRange,
  durationMs,
  INSTANT_HINT,
  isInstant,
  isRelativeInstant,
  isSignedDuration,
  isUnsignedDuration,
  ISO_TIME,
  SIGNED_DURATION_HINT,
  SPAN_LIMIT,
  withinSpan,
} from './time.js';

/**
 * The scenario file: what goes wrong, laid over the fixtures. Every section is optional so a file
 * can say one thing ("access tokens live 5 s"); several files compose, later ones winning field by field.
 * Scenario files travel as bug-report attachments, so every value is bounded here: no number a
 * clock, a timer or an HTTP answer cannot hold gets past the schema.
 */

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NAME_HINT = 'a name of letters, digits, ".", "_" or "-" (at most 64), e.g. "rotation-strict"';

/** The longest a fault may hold an answer: beyond every client timeout worth testing, well inside a timer's 2^31 ms. */
export const MAX_DELAY_MS = 10 * 60_000;

/** The value as a message quotes it (as validation/load-error.ts does for zod's own issues). */
const got = (value: unknown): string => {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const DURATION_MSG = 'expected a duration such as "35s", "250ms", "2m" or a number of seconds';
const ISO_MSG = 'expected an ISO-8601 time such as "2026-01-01T08:00:00Z"';
const RANGE_MSG = `expected a time ${TIME_RANGE}`;
const SPAN_MSG = `expected a duration of ${SPAN_LIMIT}`;
const realDate = (s: string) => !ISO_TIME.test(s.trim()) || Number.isFinite(Date.parse(s.trim()));
// zod's own checks (min, max) get "(got …)" added by validation/load-error.ts; refinements say it themselves.
const seconds = (max: number, what: string) =>
  z
    .number()
    .min(0)
    .max(max, { error: `expected ${what} of at most ${max} seconds` });

/** One grammar for every duration (core/duration.ts), refined here; messages name what was sent. */
const durationText = (ok: (s: string) => boolean, message: string) =>
  z
    .string()
    .refine(ok, { error: (iss) => `${message} (got ${got(iss.input)})`, abort: true })
    .refine(withinSpan, { error: (iss) => `${SPAN_MSG} (got ${got(iss.input)})` });

const signedDuration = z.union(
  [
    z
      .number()
      .min(-MAX_SPAN_MS / 1000, { error: SPAN_MSG })
      .max(MAX_SPAN_MS / 1000, { error: SPAN_MSG }),
    durationText(isSignedDuration, `expected ${SIGNED_DURATION_HINT}`),
  ],
  { error: `expected ${SIGNED_DURATION_HINT}` },
);
const DELAY_MSG = `expected a delay of at most ${MAX_DELAY_MS / 60_000}m (${MAX_DELAY_MS / 1000} seconds), the cap on how long a fault may hold an answer`;
const delayCap = { error: (iss: { input: unknown }) => `${DELAY_MSG}, got ${got(iss.input)}` };
const delay = z.union(
  [
    z
      .number()
      .min(0)
      .refine((s) => s * 1000 <= MAX_DELAY_MS, delayCap),
    z
      .string()
      .refine(isUnsignedDuration, { error: (iss) => `${DURATION_MSG} (got ${got(iss.input)})`, abort: true })
      .refine((v) => durationMs(v)! <= MAX_DELAY_MS, delayCap),
  ],
  { error: DURATION_MSG },
);

const epochMs = z
  .number()
  .refine((n) => Number.isInteger(n) && absoluteInRange(n), { error: (iss) => `${RANGE_MSG} as whole epoch milliseconds, got ${got(iss.input)}` });
const isoInRange = (s: string) => absoluteInRange(s);
/** Absolute only: an ISO-8601 time or epoch milliseconds. */
const absoluteInstant = z.union(
  [
    epochMs,
    z
      .string()
      .regex(ISO_TIME, ISO_MSG)
      .refine(realDate, `${ISO_MSG} (a date that exists)`)
      .refine(isoInRange, { error: (iss) => `${RANGE_MSG}, got ${got(iss.input)}` }),
  ],
  { error: `${ISO_MSG} or epoch milliseconds` },
);
/** Absolute, or relative to activation ("-10m"): relative ones are held to the range when the scenario is activated. */
const instant = z.union(
  [
    epochMs,
    z
      .string()
      .refine((s) => isInstant(s) || isRelativeInstant(s) || (ISO_TIME.test(s.trim()) && !realDate(s)), {
        error: (iss) => `expected ${INSTANT_HINT} (got ${got(iss.input)})`,
        abort: true,
      })
      .refine(realDate, { error: `${ISO_MSG} (a date that exists)`, abort: true })
      .refine((s) => (isRelativeInstant(s) ? withinSpan(s) : isoInRange(s)), {
        error: (iss) => `${isRelativeInstant(String(iss.input)) ? SPAN_MSG : RANGE_MSG}, got ${got(iss.input)}`,
      }),
  ],
  { error: `expected ${INSTANT_HINT}` },
);
const AFTER_MSG = 'expected a duration since activation such as "10m" (or seconds), or an ISO-8601 time';
const after = z.union(
  [
    seconds(MAX_SPAN_MS / 1000, 'a duration'),
    z
      .string()
      .refine((s) => ISO_TIME.test(s.trim()) || isUnsignedDuration(s), { error: (iss) => `${AFTER_MSG} (got ${got(iss.input)})`, abort: true })
      .refine(realDate, { error: `${ISO_MSG} (a date that exists)`, abort: true })
      .refine((s) => (ISO_TIME.test(s.trim()) ? isoInRange(s) : withinSpan(s)), {
        error: (iss) => `${ISO_TIME.test(String(iss.input).trim()) ? RANGE_MSG : SPAN_MSG}, got ${got(iss.input)}`,
      }),
  ],
  { error: AFTER_MSG },
);
const oneOrMany = (item: z.ZodString) => z.union([item, z.array(item).min(1)], { error: 'expected a string or a non-empty array of strings' });

/** Node's own rules for what an HTTP header may hold: what it would refuse to write is refused here, when the rule loads. */
const nodeAccepts = (check: () => void): string | undefined => {
  try {
    check();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};
/** Headers the sandbox itself sets to frame the answer: a rule's own would contradict them. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te', 'content-type']);
/** What is wrong with a header name, if anything. */
function headerNameIssue(name: string): string | undefined {
  const refused = nodeAccepts(() => validateHeaderName(name));
  if (refused) return `header name ${got(name)} is not a valid HTTP token (letters, digits and !#$%&'*+-.^_\`|~, no spaces): ${refused}`;
  if (name.toLowerCase() === 'content-type') return 'give the content type as "contentType", not as a header';
  if (FRAMING.has(name.toLowerCase()))
    return `${got(name)} is set by the sandbox to frame the answer; leave it out (use "transport" or "malformed" to break an answer)`;
  return undefined;
}
const headerValue = (what: string) =>
  z.string().superRefine((value, ctx) => {
    const refused = nodeAccepts(() => validateHeaderValue('x', value));
    if (refused)
      ctx.addIssue({
        code: 'custom',
        message: `${what} ${got(value)} cannot be sent in an HTTP header (no line breaks or control characters; text beyond Latin-1 must be percent-encoded): ${refused}`,
      });
  });

export const clockSchema = z
  .object({
    start: absoluteInstant.optional().describe('Set the sandbox clock to this instant when the scenario is activated'),
    skew: signedDuration.optional().describe('Run the sandbox clock ahead ("+5m") or behind ("-5m") the host (after `start` when both are given)'),
    rate: z.number().min(0).max(1_000_000).optional().describe('Sandbox seconds per host second: 60 runs a minute per second, 0 freezes time'),
  })
  .strict();

export const respondSchema = z
  .object({
    error: z
      .union([z.string().min(1), z.record(z.string(), z.string().min(1))], {
        error: 'expected an error kind of the platform\'s catalogue, or {"<platform>": "<kind>"}',
      })
      .optional()
      .describe("Answer with this error of the platform's catalogue, in its own shape (a map gives one kind per platform)"),
    detail: z.string().optional().describe('Text for the {detail} placeholder of the catalogue message'),
    status: z
      .number()
      .int()
      .min(200, { error: 'expected a final HTTP status from 200 to 599 (a 1xx is no answer: clients hang or fail)' })
      .max(599, { error: 'expected a final HTTP status from 200 to 599' })
      .optional()
      .describe('Answer with this HTTP status (and `body`) instead of calling the platform: 200 to 599'),
    body: z.unknown().optional().describe('Body sent with `status`: a string as is, anything else as JSON'),
    contentType: headerValue('content type')
      .refine((s) => s.trim() !== '', 'expected a content type such as "text/plain;charset=UTF-8"')
      .optional()
      .describe('Content-Type of `body`, as HTTP allows a header value'),
    headers: z
      .record(z.string(), headerValue('header value'))
      .superRefine((headers, ctx) => {
        for (const name of Object.keys(headers)) {
          const issue = headerNameIssue(name);
          if (issue) ctx.addIssue({ code: 'custom', path: [name], message: issue });
        }
      })
      .optional()
      .describe("Headers sent with `status`: names and values as HTTP allows them; the framing headers are the sandbox's"),
    transport: z.enum(['reset', 'empty']).optional().describe('Drop the connection ("reset") or close it without an answer ("empty")'),
    malformed: z
      .enum(['truncated', 'invalid'])
      .optional()
      .describe('Let the platform answer, then cut its body in half ("truncated") or prefix stray bytes so it no longer parses ("invalid")'),
    handled: z.boolean().optional().describe('The platform processes the request before the fault (its state changes: the "response lost" bug)'),
    delay: delay.optional().describe(`Hold the answer this long (at most ${MAX_DELAY_MS / 60_000}m); alone, the platform answers normally but late`),
  })
  .strict()
  .superRefine((r, ctx) => {
    const kinds = (['error', 'status', 'transport', 'malformed'] as const).filter((k) => r[k] !== undefined);
    if (kinds.length > 1) ctx.addIssue({ code: 'custom', message: `give only one of ${kinds.map((k) => `"${k}"`).join(', ')}` });
    if (kinds.length === 0 && r.delay === undefined)
      ctx.addIssue({ code: 'custom', message: 'expected one of "error", "status", "transport", "malformed" or "delay"' });
    for (const k of ['body', 'contentType', 'headers'] as const) {
      if (r[k] !== undefined && r.status === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `"${k}" goes with "status"` });
    }
    if (r.detail !== undefined && r.error === undefined) ctx.addIssue({ code: 'custom', path: ['detail'], message: '"detail" goes with "error"' });
  });

export const faultRuleSchema = z
  .object({
    id: z.string().regex(NAME, `expected ${NAME_HINT}`).optional().describe('Name recorded in the journal for every answer this rule shapes'),
    description: z.string().optional(),
    platform: oneOrMany(z.string().min(1)).optional().describe('Only requests to this platform (or these)'),
    endpoint: oneOrMany(z.string().min(1)).optional().describe('Only these endpoints, by name (e.g. "token.as", "router.as")'),
    tag: oneOrMany(z.string().min(1))
      .optional()
      .describe('Only endpoints or gateway methods with this tag: oauth, authorize, token, refresh, resource, signed'),
    method: oneOrMany(z.string().min(1)).optional().describe('Only gateway calls with this `method` parameter (e.g. "GET_BOXES", "open.auth.token.app")'),
    params: matcherMapSchema
      .optional()
      .describe('Only requests whose parameters match, a gateway\'s business content included: {"grant_type": "refresh_token"} (docs/verify.md)'),
    headers: matcherMapSchema.optional().describe('Only requests whose headers match: {"user-agent": {"contains": "okhttp"}} (docs/verify.md)'),
    nth: z.number().int().min(1).optional().describe('Fire on the n-th matching call only'),
    every: z.number().int().min(1).optional().describe('Fire on every k-th matching call'),
    first: z.number().int().min(1).optional().describe('Fire on the first n matching calls'),
    after: after.optional().describe('Fire only once the sandbox clock is past this point (a duration counts from activation)'),
    probability: z.number().min(0).max(1).optional().describe('Fire with this probability (0..1), drawn from a generator seeded by `seed`'),
    seed: z.string().optional().describe('Seed for `probability`, so the same calls fail every run'),
    times: z.number().int().min(1).optional().describe('Fire at most this many times'),
    respond: respondSchema,
    progress: z
      .object({ calls: z.number().int().min(0), fired: z.number().int().min(0), armedAt: absoluteInstant })
      .strict()
      .optional()
      .describe('Written by export: how far the rule had counted, so a loaded export continues where it stopped'),
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
export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultResponse = z.infer<typeof respondSchema>;
export type SeedToken = z.infer<typeof seedTokenSchema>;
export type ScenarioClock = z.infer<typeof clockSchema>;
