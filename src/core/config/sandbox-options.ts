import type { LogFormat, LogLevel } from '../log.js';
import type { AnyPlatform } from '../platform.js';
import type { ScenarioRef } from '../scenarios/loader.js';
import type { TlsOptions } from '../../server/tls/tls-options.js';
import { resolveLimits, type Limits } from './limits.js';
import { MEMORY_STORE, rowsBySandboxField, tableDefault } from './option-table.js';

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** Fixture files or directories laid over the built-in fixtures. */
  fixtures?: string[];
  /** Load the fixtures shipped with the package first (default true). */
  builtinFixtures?: boolean;
  /** Keep state in this lowdb JSON file across restarts. */
  db?: string;
  /** Seed for every generated value (codes, tokens, ids). */
  seed?: string;
  logFormat?: LogFormat;
  logLevel?: LogLevel;
  /** Largest accepted request body in bytes (default 1 MiB); in a multipart upload, what its fields and part headers hold. */
  bodyLimit?: number;
  /** Largest accepted multipart/form-data body in bytes, file parts included: they are streamed, never held (default 32 MiB). */
  uploadLimit?: number;
  /** How many exchanges the request journal keeps (default 1000). */
  journalSize?: number;
  /** Scenarios active from the start: built-in names, file paths or inline objects; later ones win. */
  scenario?: ScenarioRef | ScenarioRef[];
  /** Folders of your own scenario files, found by name (also over the control plane) before the built-in ones. */
  scenarioDirs?: string[];
  /**
   * Token the control plane requires (`Authorization: Bearer`, `X-Sandbox-Admin-Token`, or `?token=` once in a browser).
   * Bound to anything but loopback without one, the sandbox makes one up (`sandbox.options.adminToken`, printed by `start`).
   */
  adminToken?: string;
  /**
   * Where worlds live: "memory" (default: this process), or a Redis URL (`redis://host:6379/0`) that
   * several sandbox processes share: tokens, platform data, clock, scenarios, sessions and the journal.
   */
  store?: string;
  /** The prefix of every key in a shared store (default `sandbox:`), so sandboxes can share one Redis. */
  storePrefix?: string;
  /** The platforms to serve (default: the four built-in ones); a platform of your own is one more definition. */
  platforms?: readonly AnyPlatform[];
  /**
   * For `Sandbox.create` alone: load zod and the schemas only when a file needs validating (user
   * fixtures, a scenario, `--db`, the control plane) instead of at create. `sandbox start` does this
   * to start faster; code that calls `reload()` or the scenario engine directly must leave it off
   * (the default). `startSandbox` ignores it: its API validates synchronously (`scenario.fault`).
   */
  validateOnDemand?: boolean;
  /** Serve HTTPS with this certificate and key (PEM): on `port`, or on `httpsPort` beside plain HTTP on `port`. */
  tls?: TlsOptions;
  /** With `tls`: the port for HTTPS, while `port` keeps serving plain HTTP. */
  httpsPort?: number;
  // Hostile input (docs/reliability.md lists every cap with its default).
  /** Host names the control plane answers to besides loopback names and IP addresses (`.example.com`: it and its subdomains; `all`: any). */
  allowedHosts?: string[];
  /** Sessions open at once (default 1000). */
  maxSessions?: number;
  /** Fault rules armed one by one per world (default 1000). */
  maxFaults?: number;
  /** Connections open at once (default: the open-file limit less 100, at most 10 000). */
  maxConnections?: number;
  /** Connections one client address (an IPv6 /64) may hold open at once (default: half of maxConnections). */
  maxConnectionsPerClient?: number;
  /** Milliseconds a client has to send its request head (default 10 000) and its whole request (default 30 000). */
  headersTimeout?: number;
  requestTimeout?: number;
  /** With `db`: salvage a damaged state file after keeping a copy of it, instead of refusing to start. */
  dbRepair?: boolean;
  /** Platforms forwarded to the real ones, as `<platform>=<base URL>` (docs/parity.md). */
  upstream?: string[];
  /** A CA certificate file (PEM) trusted for the upstreams besides the system ones. */
  upstreamCa?: string;
  /** Milliseconds for a whole forwarded exchange (default 30 000). */
  upstreamTimeout?: number;
  /** Append every forwarded exchange, secrets masked, to this JSON-lines file. */
  record?: string;
  /** With `upstream`: answer each forwarded exchange in a shadow world too, and list where the answers differ (docs/parity.md). */
  shadow?: boolean;
}

export type ResolvedOptions = Required<
  Omit<
    SandboxOptions,
    'db' | 'seed' | 'scenario' | 'adminToken' | 'validateOnDemand' | 'platforms' | 'tls' | 'httpsPort' | 'upstreamCa' | 'record' | keyof Limits
  >
> &
  Limits &
  Pick<SandboxOptions, 'db' | 'seed' | 'adminToken' | 'tls' | 'httpsPort' | 'upstreamCa' | 'record'> & { scenario: ScenarioRef[] };

export { DEFAULT_STORE_PREFIX, MEMORY_STORE } from './option-table.js';

/**
 * The options with their defaults; a whole number out of its range is refused, naming the option.
 * The defaults of the fields an option sets are its row's (option-table.ts); the rest are the API's own.
 */
export function resolveOptions(opts: SandboxOptions): ResolvedOptions {
  const fromTable: Record<string, unknown> = {};
  for (const field of rowsBySandboxField.keys()) fromTable[field] = opts[field] ?? tableDefault(field);
  return {
    ...(fromTable as Omit<ResolvedOptions, 'logLevel' | 'scenario' | 'tls' | keyof Limits>),
    // In a test runner's process the sandbox says nothing unless asked; `sandbox start` asks for info (or warn with --quiet).
    logLevel: opts.logLevel ?? 'silent',
    scenario: opts.scenario === undefined ? [] : Array.isArray(opts.scenario) ? opts.scenario : [opts.scenario],
    tls: opts.tls,
    ...resolveLimits(opts),
  };
}

/** Options that each stand alone but not together; refused before anything opens. */
export function refuseConflicts(options: ResolvedOptions): void {
  if (options.db && options.store !== MEMORY_STORE) {
    throw new Error(
      `--db and --store ${options.store} do not go together: a Redis store keeps the state itself (configure its persistence, see docs/scaling.md), --db keeps a single process's state in a file. Pick one.`,
    );
  }
}
