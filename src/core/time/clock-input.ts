import { ControlError } from '../errors/control-error.js';
import { describeInstant, inTimeRange, MAX_RATE, MAX_SPAN_MS, TIME_RANGE } from './clock.js';
import { DURATION_HINT, parseDuration } from './duration.js';

/**
 * The clock moves as people give them (a duration typed as "1h", a time as ISO-8601 text), read into the
 * milliseconds the clock takes. Both adapters read with these: the control plane's schema for an HTTP body
 * and the in-process clock for its arguments, so a bad value gets the same words from either.
 */

const got = (input: unknown): string => (typeof input === 'number' && !Number.isFinite(input) ? String(input) : (JSON.stringify(input) ?? String(input)));

export const CLOCK_MESSAGES = {
  advance: (v: unknown, hint = DURATION_HINT) => `"advance" must be ${hint}, got ${got(v)}.`,
  advanceRange: (v: unknown) =>
    `"advance" must move the clock by at most ${MAX_SPAN_MS / 86_400_000} days either way (the sandbox's whole time range, ${TIME_RANGE}), got ${got(v)}.`,
  set: (v: unknown) => `"set" must be an ISO-8601 time such as "2026-01-01T08:00:00+08:00" or epoch milliseconds, got ${got(v)}.`,
  setRange: (v: unknown) => `"set" must be a time ${TIME_RANGE}, got ${got(v)}${typeof v === 'number' ? ` (${describeInstant(v)})` : ''}.`,
  rate: (v: unknown) => `"rate" must be a number ≥ 0 (1 = real time, 60 = a minute per second, 0 = frozen), got ${got(v)}.`,
  rateCap: (v: unknown) => `"rate" must be at most ${MAX_RATE} (a million sandbox seconds per host second), got ${got(v)}.`,
};

const invalid = (message: string) => new ControlError('invalid_request', message);
const IN_PROCESS_HINT = 'a duration such as "3601s", "30m", "1h", "1d", "1h30m" or a finite number of milliseconds';

/**
 * A duration in milliseconds, or what is wrong with it. Text is a duration ("1h30m", "3601s", "250ms");
 * a number counts `numberUnit`: seconds in an HTTP body, milliseconds in the in-process API.
 */
export function readAdvance(v: unknown, numberUnit: 'seconds' | 'ms'): number | string {
  let ms: number | undefined;
  if (typeof v === 'number') ms = numberUnit === 'ms' ? (Number.isFinite(v) ? Math.round(v) : undefined) : parseDuration(v);
  else if (typeof v === 'string') ms = parseDuration(v);
  if (ms === undefined) return CLOCK_MESSAGES.advance(v, typeof v === 'number' && numberUnit === 'ms' ? IN_PROCESS_HINT : DURATION_HINT);
  if (Math.abs(ms) > MAX_SPAN_MS) return CLOCK_MESSAGES.advanceRange(v);
  return ms;
}

/** An instant in epoch milliseconds (from ISO-8601 text, epoch milliseconds or a Date), or what is wrong with it. */
export function readInstant(v: unknown): number | string {
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  if (typeof v === 'number' ? Number.isNaN(v) : !Number.isFinite(ms)) return CLOCK_MESSAGES.set(v);
  if (!inTimeRange(ms)) return CLOCK_MESSAGES.setRange(v instanceof Date ? ms : v);
  return ms;
}

/** A clock rate, or what is wrong with it. */
export function readRate(v: unknown): number | string {
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) return CLOCK_MESSAGES.rate(v);
  if (v > MAX_RATE) return CLOCK_MESSAGES.rateCap(v);
  return v;
}

/** The reader's value, or a ControlError with its message (the in-process API throws what HTTP answers with 400). */
export function orRefuse<T>(read: T | string): T {
  if (typeof read === 'string') throw invalid(read);
  return read;
}
