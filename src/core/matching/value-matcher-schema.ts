import { z } from 'zod';
import { VALUE_MATCHER_SCHEMA } from './json-schema.js';
import { readValueMatcher } from './read-match.js';
import type { ValueMatcher } from './request-match.js';

/**
 * A value matcher inside files zod validates (scenario fault rules): checked by read-match.ts, so a
 * scenario file and the control plane refuse the same matcher with the same words, and described by
 * the published JSON Schema.
 */
export const valueMatcherSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    try {
      readValueMatcher(value, '');
    } catch (e) {
      // The path is zod's; the message is read-match's without its own field name.
      ctx.addIssue({ code: 'custom', message: (e as Error).message.replace(/^"\.?([^"]*)" /, (_m, rest: string) => (rest ? `"${rest}" ` : 'the matcher ')) });
    }
  })
  .transform((v) => v as ValueMatcher)
  .meta(VALUE_MATCHER_SCHEMA);

/** `{"<name>": <matcher>}`: a rule's params or headers. */
export const matcherMapSchema = z.record(z.string(), valueMatcherSchema);
