/**
 * The ranges of the whole-number options, read by the command line (which refuses a value out of range
 * before anything starts) and by Sandbox.create (which refuses the same for the in-process API). A
 * module of its own, with no imports, so the CLI's fast path loads nothing else to check a flag.
 */
export const OPTION_RANGES = {
  maxSessions: { option: '--max-sessions (maxSessions)', min: 1, max: 1_000_000 },
  maxFaults: { option: '--max-faults (maxFaults)', min: 1, max: 1_000_000 },
  maxConnections: { option: '--max-connections (maxConnections)', min: 1, max: 1_000_000 },
  headersTimeout: { option: 'headersTimeout', min: 1, max: 3_600_000 },
  requestTimeout: { option: 'requestTimeout', min: 1, max: 3_600_000 },
  /** The journal keeps at most this many exchanges (each at most ~32 KiB). */
  journalSize: { option: '--journal-size (journalSize)', min: 1, max: 1_000_000 },
  bodyLimit: { option: '--body-limit (bodyLimit)', min: 1, max: 2 ** 31 - 1 },
  /** One machine's worth of processes; more would only contend for the same cores. */
  workers: { option: '--workers', min: 1, max: 256 },
} as const;
