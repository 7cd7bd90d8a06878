import { describeInstant, inTimeRange, MAX_SPAN_MS, TIME_RANGE } from '../time/clock.js';
import { parseDuration } from '../time/duration.js';

/**
 * Times in scenario files. Durations have one grammar, `parseDuration`'s ("35s", "250ms", "1h30m",
 * "90" seconds); here they may also carry a sign ("+5m" ahead, "-5m" behind). Absolute instants are
 * ISO-8601 with a date, or epoch milliseconds. Every value is also held to the sandbox's time range.
 */

/** An absolute time as people write it in files: ISO-8601 with a date. */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export const INSTANT_HINT =
  'an ISO-8601 time such as "2026-01-01T08:00:00+08:00", epoch milliseconds, or a time relative to activation such as "-10m" or "+1h"';
export const SIGNED_DURATION_HINT = 'a duration such as "5m", "+5m", "-5m", "250ms" or a number of seconds';
/** What every duration and instant of a scenario must stay within. */
export const SPAN_LIMIT = `at most ${MAX_SPAN_MS / 86_400_000} days (the sandbox's time range, ${TIME_RANGE})`;

/** Durations may carry a sign ("+5m" ahead, "-5m" behind); numbers are seconds. Undefined when not a duration. */
export function durationMs(value: string | number): number | undefined {
  if (typeof value !== 'string') return parseDuration(value);
  const text = value.trim();
  if (!text.startsWith('+')) return parseDuration(text);
  // "+5m" is "5m"; "+-5m", "++5m" and "+ 5m" are not durations.
  const rest = text.slice(1);
  return /^\d/.test(rest) ? parseDuration(rest) : undefined;
}

/** A duration without a sign, or with "+": "35s", "+35s", 35. */
export function isUnsignedDuration(value: string): boolean {
  return !value.trim().startsWith('-') && durationMs(value) !== undefined;
}

/** A duration with or without a sign. */
export function isSignedDuration(value: string): boolean {
  return durationMs(value) !== undefined;
}

/** A time relative to the moment a scenario is activated: "+1h", "-10m", "-30s". */
export function isRelativeInstant(value: string): boolean {
  const text = value.trim();
  return (text.startsWith('+') || text.startsWith('-')) && durationMs(text) !== undefined;
}

/** An ISO-8601 time naming a date that exists. */
export function isInstant(value: string): boolean {
  return ISO_TIME.test(value.trim()) && Number.isFinite(Date.parse(value.trim()));
}

/** A duration no longer than the sandbox's whole time range (either sign). */
export function withinSpan(value: string | number): boolean {
  const ms = durationMs(value);
  return ms === undefined || Math.abs(ms) <= MAX_SPAN_MS;
}

/** An ISO time or epoch milliseconds within the sandbox's time range (relative instants are checked at activation). */
export function absoluteInRange(value: string | number): boolean {
  if (typeof value === 'number') return inTimeRange(value);
  return !isInstant(value) || inTimeRange(Date.parse(value.trim()));
}

export const outOfRange = (ms: number): string => `${describeInstant(ms)} is outside the sandbox's time range, ${TIME_RANGE}`;

/** Epoch milliseconds of an instant; relative ones count from `now` (the sandbox time at activation). */
export function instantMs(value: string | number, now: number): number {
  if (typeof value === 'number') return value;
  const text = value.trim();
  if (isRelativeInstant(text)) return now + (durationMs(text) ?? 0);
  return Date.parse(text);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
