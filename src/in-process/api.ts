import type { JournalEntry, JournalFilter } from '../core/journal.js';
import type { RequestMatch } from '../core/matching/request-match.js';
import type { Expectation, Verification } from '../core/matching/verify.js';
import type { ScenarioRef } from '../core/scenarios/loader.js';
import type { ScenarioView } from '../core/scenarios/runtime.js';
import type { FaultRule, Scenario } from '../core/scenarios/schema.js';
import type { Sandbox } from '../sandbox.js';

/**
 * The in-process API's types. Reads that return at once (`clock.now()`, `requests()`, `scenario.active()`,
 * `sessions.list()`) answer from this process, which is the whole sandbox unless several processes share a
 * Redis store (docs/scaling.md).
 */

export interface SandboxClock {
  /** Sandbox time, epoch milliseconds. */
  now(): number;
  /** Move time forward ("1h", "30m", "3601s", or milliseconds as a number); returns the new time. */
  advance(by: string | number): number;
  set(to: Date | number | string): number;
  setRate(rate: number): void;
}

/** The scenarios of one world (the sandbox's, or a session's). */
export interface ScenarioControl {
  /** Replace the active scenarios: built-in names, file paths or inline objects; later ones win field by field. */
  use(...scenarios: ScenarioRef[]): Promise<ScenarioView>;
  /** Lay scenarios over the active ones. */
  add(...scenarios: ScenarioRef[]): Promise<ScenarioView>;
  /** Back to the fixtures only. */
  clear(): Promise<ScenarioView>;
  active(): ScenarioView;
  /** Arm one fault rule over everything active; returns its id (what the journal records). */
  fault(rule: FaultRule): string;
  /** A scenario file with the state, clock and active rules: load it elsewhere to get the same answers. */
  export(name?: string): Promise<Scenario>;
}

/** An isolated session: its own tokens, clock and scenario, reached at `url` or with `headers`. */
export interface SandboxSession {
  id: string;
  /** Base URL of every platform in this session (`<sandbox url>/s/<id>`). */
  url: string;
  /** Or send these headers to the sandbox's own URL. */
  headers: Record<string, string>;
  clock: SandboxClock;
  scenario: ScenarioControl;
  /** This session's part of the request journal: the entries a matcher selects (docs/verify.md), newest first. */
  requests(filter?: Omit<JournalFilter, 'session'>): JournalEntry[];
  /** Assert how many of this session's requests a matcher selects (default: at least 1); throws an AssertionError with a near-miss report. */
  verify(match: Omit<RequestMatch, 'session'>, expectation?: Expectation): Verification;
  /** End the session. */
  close(): Promise<void>;
}

export interface SessionControl {
  create(options?: { id?: string; scenario?: ScenarioRef | ScenarioRef[] }): Promise<SandboxSession>;
  get(id: string): SandboxSession | undefined;
  list(): string[];
}

export interface RunningSandbox {
  url: string;
  port: number;
  clock: SandboxClock;
  /** `await sb.scenario.use('rotation-strict')` */
  scenario: ScenarioControl;
  /** `const s = await sb.sessions.create({ scenario: 'expiry-fast' })`, then point the client at `s.url`. */
  sessions: SessionControl;
  /** The journal entries a matcher selects (docs/verify.md), newest first: `sb.requests({ params: { grant_type: 'refresh_token' } })`. */
  requests(filter?: JournalFilter): JournalEntry[];
  /**
   * Assert how many requests a matcher selects: `sb.verify({ platform: 'sop', params: { grant_type: 'refresh_token' } }, { count: 1 })`
   * (default: at least 1). Throws node:assert's AssertionError with a report of the nearest misses, so it works in Jest, Vitest and node:test.
   */
  verify(match: RequestMatch, expectation?: Expectation): Verification;
  reset(): Promise<void>;
  /** Re-read fixture files and active scenario files, keeping tokens; throws (and changes nothing) on a bad file. */
  reload(): { fixtures: string[]; scenarios: string[] };
  /**
   * Resolves once every change made through this API is kept (`--db`, a shared store); rejects with the
   * first write that failed. Clock moves apply at once and are kept in the background; `close()` waits too.
   */
  settled(): Promise<void>;
  close(): Promise<void>;
  /** The underlying server object, for what this facade does not cover. */
  sandbox: Sandbox;
}
