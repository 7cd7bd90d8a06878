import type { ScenarioRef } from '../core/scenarios/loader.js';
import type { TokenKind } from '../core/state/token-record.js';

/** What the control service's methods take and the health answer: the types both adapters read their inputs into. */

/**
 * What GET /__sandbox/health (readiness: 503 while the shared store is unreachable) and
 * GET /__sandbox/health/live (liveness: the process serves) answer.
 */
export interface Health {
  status: 'ok' | 'unavailable';
  /** Why the sandbox is not ready (only with status "unavailable"). */
  reason?: string;
  version: string;
  platforms: string[];
  uptimeSeconds: number;
  pid: number;
  store: string;
}

/** GET /tokens: which records, in which order. */
export interface TokenQuery {
  platform?: string;
  kind?: TokenKind;
  /** A state by the sandbox clock: active, expired, used, rotated, grace or revoked. */
  state?: string;
  /** At most this many (default 1000, at most 10 000). */
  limit?: number;
  order?: 'oldest' | 'newest';
}

export type TokenAction = 'expire' | 'revoke';

/** Which record a value names when it exists on several platforms or kinds. */
export interface TokenPick {
  platform?: string;
  kind?: TokenKind;
}

/** Which scenarios to activate, and whether they replace the active ones or lie over them. */
export interface ScenarioSelection {
  refs: ScenarioRef[];
  add: boolean;
}

export interface SessionRequest {
  id?: string;
  scenarios?: ScenarioRef[];
}

/** Where the values a method reads came from, for the messages of what it refuses (a file name, "request body"). */
export interface InputOrigin {
  label?: string;
  /** Scenario references may be file paths (the in-process API and the command line; never HTTP). */
  allowPaths?: boolean;
}
