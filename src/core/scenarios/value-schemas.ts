import { z } from 'zod';
import { MAX_SPAN_MS, TIME_RANGE } from '../time/clock.js';
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
 * The values a scenario file and its fault rules are made of: names, durations, delays and instants.
 * Scenario files travel as bug-report attachments, so every value is bounded here (no number a clock,
 * a timer or an HTTP answer cannot hold gets past) and refused with a message that names what was sent.
 */

export const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const NAME_HINT = 'a name of letters, digits, ".", "_" or "-" (at most 64), e.g. "rotation-strict"';

/** The longest a fault may hold an answer: beyond every client timeout worth testing, well inside a timer's 2^31 ms. */
export const MAX_DELAY_MS = 10 * 60_000;

/** The value as a message quotes it (as validation/load-error.ts does for zod's own issues). */
export const got = (value: unknown): string => {
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

export const signedDuration = z.union(
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
export const delay = z.union(
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
export const absoluteInstant = z.union(
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
export const instant = z.union(
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
export const after = z.union(
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
