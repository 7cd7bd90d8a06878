import { readFileSync } from 'node:fs';
import type { SandboxOptions } from './sandbox-options.js';
import { rowsBySandboxField, tableDefault } from './option-table.js';

/**
 * The caps and timeouts that keep one sandbox bounded whatever its clients do. The caps' options,
 * ranges and defaults are rows of the option table (option-table.ts); here are the defaults it cannot
 * hold (computed, or of the API alone). docs/reliability.md lists them with the figures measured.
 */

/** A client has this long to send its request line and headers (Node's default is 60 s). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** ... and this long to send its whole request, body included (Node's default is 300 s). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** How often Node looks for requests past those timeouts (its default, 30 s, would let them run that much longer). */
export const TIMEOUT_CHECK_INTERVAL_MS = 1000;
/** On stop, connections still open this long after the listener closed are cut (a client dribbling a body). */
export const CLOSE_GRACE_MS = 5000;
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
  maxConnectionsPerClient: number;
  headersTimeout: number;
  requestTimeout: number;
}

interface WholeNumber {
  field: keyof SandboxOptions;
  /** How a message names it: the flag and the field, or the field alone for the API's own. */
  option: string;
  min: number;
  max: number;
}

/** The whole-number options: the table's rows, then the two timeouts only the in-process API sets. */
const WHOLE: readonly WholeNumber[] = [
  ...[...rowsBySandboxField].flatMap(([field, { option, spec }]) =>
    spec.kind.type === 'integer' ? [{ field, option: `--${option} (${field})`, min: spec.kind.min, max: spec.kind.max ?? Number.MAX_SAFE_INTEGER }] : [],
  ),
  { field: 'headersTimeout', option: 'headersTimeout', min: 1, max: 3_600_000 },
  { field: 'requestTimeout', option: 'requestTimeout', min: 1, max: 3_600_000 },
];

/** The message for a whole number out of its range, as Sandbox.create gives it. */
export const outOfRange = (w: Omit<WholeNumber, 'field'>, got: unknown): string => `${w.option} must be a whole number from ${w.min} to ${w.max}, got ${got}.`;

/** The caps as given or by default; a value that is not a whole number in its range is refused, naming the option. */
export function resolveLimits(given: SandboxOptions): Limits {
  for (const w of WHOLE) {
    const v = given[w.field];
    if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= w.min && v <= w.max)) throw new Error(outOfRange(w, v));
  }
  const limits: Limits = {
    maxSessions: given.maxSessions ?? tableDefault('maxSessions')!,
    maxFaults: given.maxFaults ?? tableDefault('maxFaults')!,
    maxConnections: given.maxConnections ?? defaultMaxConnections(),
    // Half: whoever else connects always finds half the cap, and a test suite on loopback (one address for
    // all its clients) still opens thousands at once on a usual open-file limit.
    maxConnectionsPerClient: given.maxConnectionsPerClient ?? Math.max(1, Math.floor((given.maxConnections ?? defaultMaxConnections()) / 2)),
    headersTimeout: given.headersTimeout ?? Math.min(DEFAULT_HEADERS_TIMEOUT_MS, given.requestTimeout ?? Infinity),
    requestTimeout: given.requestTimeout ?? Math.max(DEFAULT_REQUEST_TIMEOUT_MS, given.headersTimeout ?? 0),
  };
  if (limits.headersTimeout > limits.requestTimeout)
    throw new Error(`headersTimeout (${limits.headersTimeout} ms) must not be longer than requestTimeout (${limits.requestTimeout} ms).`);
  return limits;
}
