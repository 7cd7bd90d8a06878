import { validateHeaderName, validateHeaderValue } from 'node:http';
import { z } from 'zod';
import { matcherMapSchema } from '../matching/value-matcher-schema.js';
import { absoluteInstant, after, delay, got, MAX_DELAY_MS, NAME, NAME_HINT } from './value-schemas.js';

/**
 * A fault rule: which requests it matches, when it fires, and the answer it gives instead of (or on
 * top of) the platform's. An answer the rule writes itself is held to what HTTP and Node allow.
 */

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

export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultResponse = z.infer<typeof respondSchema>;
