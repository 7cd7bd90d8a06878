import type { z } from 'zod';
import { ControlError } from '../../core/errors/control-error.js';

/**
 * A value checked against a control-plane schema, or a ControlError carrying the one message that
 * matters most: unknown fields (a misspelt field, named with the one it likely meant, is the usual cause
 * of a body that also lacks what the route needs), then a body that is not what the route takes at all,
 * then the first field that is wrong (in the order the schema lists them).
 */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const rank = (issue: z.core.$ZodIssue): number => (issue.code === 'unrecognized_keys' ? 0 : issue.path.length === 0 ? 1 : 2);
  const first = [...result.error.issues].sort((a, b) => rank(a) - rank(b))[0];
  throw new ControlError('invalid_request', first.message);
}
