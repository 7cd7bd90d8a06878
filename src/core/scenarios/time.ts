import { parseDuration } from '../duration.js';

/** An absolute time as people write it in files: ISO-8601 with a date, or epoch milliseconds. */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const AMOUNT = String.raw`(\d+(\.\d+)?|(\d+(\.\d+)?(ms|s|m|h|d|w))+)`;
/** "35s", "250ms", "1h30m", "90" (seconds). */
export const DURATION = new RegExp(`^\\s*\\+?${AMOUNT}\\s*$`);
/** The same with a sign: "+5m" ahead, "-5m" behind. */
export const SIGNED_DURATION = new RegExp(`^\\s*[+-]?${AMOUNT}\\s*$`);
/** A time relative to the moment a scenario is activated: "+1h", "-10m", "-30s". */
export const RELATIVE_TIME = new RegExp(`^\\s*[+-]${AMOUNT}\\s*$`);
/** What an absolute or relative instant looks like (an ISO time is also checked for being a real date). */
export const INSTANT = new RegExp(`${ISO_TIME.source}|${RELATIVE_TIME.source}`);

export const INSTANT_HINT = 'an ISO-8601 time such as "2026-01-01T08:00:00+08:00", epoch milliseconds, or a time relative to activation such as "-10m" or "+1h"';
export const SIGNED_DURATION_HINT = 'a duration such as "5m", "+5m", "-5m", "250ms" or a number of seconds';

/** Durations may carry a sign ("+5m" ahead, "-5m" behind); numbers are seconds. */
export function durationMs(value: string | number): number | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    return parseDuration(text.startsWith('+') ? text.slice(1) : text);
  }
  return parseDuration(value);
}

export function isInstant(value: string): boolean {
  return ISO_TIME.test(value.trim()) && Number.isFinite(Date.parse(value.trim()));
}

export function isRelativeInstant(value: string): boolean {
  return RELATIVE_TIME.test(value);
}

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
