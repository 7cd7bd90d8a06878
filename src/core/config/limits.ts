import { readFileSync } from 'node:fs';
import { OPTION_RANGES } from './option-ranges.js';
import { MAX_SESSIONS } from '../sessions/registry.js';

/**
 * The caps and timeouts that keep one sandbox bounded whatever its clients do, with their defaults and
 * the option that raises each. docs/reliability.md lists them with the figures measured.
 */

/** Fault rules armed one by one (POST /faults, `scenario.fault()`) per world. */
export const DEFAULT_MAX_FAULTS = 1000;
/** A client has this long to send its request line and headers (Node's default is 60 s). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** ... and this long to send its whole request, body included (Node's default is 300 s). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** How often Node looks for requests past those timeouts (its default, 30 s, would let them run that much longer). */
export const TIMEOUT_CHECK_INTERVAL_MS = 1000;
/** On stop, connections still open this long after the listener closed are cut (a client dribbling a body). */
export const CLOSE_GRACE_MS = 5000;
/** The journal keeps at most this many exchanges (each at most ~32 KiB). */
export const MAX_JOURNAL_SIZE = OPTION_RANGES.journalSize.max;
/** Connections left for files (the --db log, fixtures, the dashboard's files) below the open-file limit. */
const FD_RESERVE = 100;
const MAX_DEFAULT_CONNECTIONS = 10_000;

/**
 * Connections open at once, by default: below the process's open-file limit (Linux: /proc/self/limits),
 * so that idle or slow sockets can never use up the descriptors the sandbox needs for itself; 10 000 at most.
 */
export function defaultMaxConnections(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    if (Number.isFinite(soft) && soft > 0) return Math.max(16, Math.min(MAX_DEFAULT_CONNECTIONS, soft - FD_RESERVE));
  } catch {
    // Not Linux: Node raises its open-file limit to the hard limit at start; keep a fixed cap.
  }
  return 4000;
}

export interface Limits {
  maxSessions: number;
  maxFaults: number;
  maxConnections: number;
  headersTimeout: number;
  requestTimeout: number;
}

type Given = Partial<Limits> & { journalSize?: number; bodyLimit?: number };

const WHOLE: Record<keyof Given, { option: string; min: number; max: number }> = {
  maxSessions: OPTION_RANGES.maxSessions,
  maxFaults: OPTION_RANGES.maxFaults,
  maxConnections: OPTION_RANGES.maxConnections,
  headersTimeout: OPTION_RANGES.headersTimeout,
  requestTimeout: OPTION_RANGES.requestTimeout,
  journalSize: OPTION_RANGES.journalSize,
  bodyLimit: OPTION_RANGES.bodyLimit,
};

/** The caps as given or by default; a value that is not a whole number in its range is refused, naming the option. */
export function resolveLimits(given: Given): Limits {
  for (const [key, spec] of Object.entries(WHOLE) as [keyof Given, (typeof WHOLE)[keyof Given]][]) {
    const v = given[key];
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= spec.min && v <= spec.max)) {
      throw new Error(`${spec.option} must be a whole number from ${spec.min} to ${spec.max}, got ${v}.`);
    }
  }
  const limits: Limits = {
    maxSessions: given.maxSessions ?? MAX_SESSIONS,
    maxFaults: given.maxFaults ?? DEFAULT_MAX_FAULTS,
    maxConnections: given.maxConnections ?? defaultMaxConnections(),
    headersTimeout: given.headersTimeout ?? Math.min(DEFAULT_HEADERS_TIMEOUT_MS, given.requestTimeout ?? Infinity),
    requestTimeout: given.requestTimeout ?? Math.max(DEFAULT_REQUEST_TIMEOUT_MS, given.headersTimeout ?? 0),
  };
  if (limits.headersTimeout > limits.requestTimeout)
    throw new Error(`headersTimeout (${limits.headersTimeout} ms) must not be longer than requestTimeout (${limits.requestTimeout} ms).`);
  return limits;
}
