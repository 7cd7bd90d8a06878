import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Router } from 'express';
import type { z } from 'zod';
import type { LifecyclePolicy } from './tokens/policy.js';
import type { World } from './world.js';

/** What a platform endpoint sees of a request: its native path, parsed params and the world it acts on. */
export interface PlatformRequest {
  method: string;
  /** The native path, after any `/<platform-id>`, context-path or `/s/<session>` prefix was removed. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Lower-case media type without parameters, '' when absent. */
  contentType: string;
  rawBody: Buffer | undefined;
  world: World;
  /** Base URL of the platform as this client reached it (for redirects and links). */
  baseUrl: string;
}

/** What an endpoint answers: data, turned into bytes in one place (the dispatcher). */
export interface Reply {
  status: number;
  contentType?: string;
  body: string;
  headers?: Record<string, string>;
  /** The parsed form of `body`, kept for the journal so it does not parse again. */
  data?: unknown;
  /** Request params worth journaling (already parsed by the endpoint). */
  params?: Record<string, unknown>;
  /** Transport-level behaviour set by fault injection: hold the answer, or break the connection. */
  delayMs?: number;
  transport?: 'reset' | 'empty';
  /** The scenario rule that shaped this answer, for the journal. */
  rule?: string;
}

export interface Endpoint {
  /** 'GET', 'POST', or '*' for any method. */
  method: string;
  /** Native path, e.g. '/oauth/token.as'. */
  path: string;
  /** Stable name for the journal, filters and fault rules, e.g. 'token.as'. */
  name: string;
  /**
   * Platform-neutral roles that scenario fault rules can target on every platform at once:
   * 'oauth' (any OAuth endpoint), 'authorize' (issues codes), 'token' (issues or refreshes tokens),
   * 'refresh', 'resource' (needs an access token), 'signed' (checks a request signature).
   */
  tags?: readonly string[];
  handle(req: PlatformRequest): Reply | Promise<Reply>;
}

export interface Credential {
  label: string;
  value: string;
}

/** What the start banner and `/__sandbox/platforms` tell a user about a platform. */
export interface PlatformSummary {
  id: string;
  title: string;
  baseUrls: string[];
  credentials: Credential[];
}

export type TransportFailure = 'too_large' | 'unreadable';

export interface PlatformDefinition<F = unknown, S = unknown> {
  id: string;
  title: string;
  /**
   * The schema of one fixture section (`{"<id>": {...}}`); every field has a default so files may be
   * partial. Loaded on demand (core/validators.ts): serving the built-in fixtures needs no zod.
   */
  loadFixtureSchema(): Promise<z.ZodType<F>>;
  endpoints: readonly Endpoint[];
  /** Extra path prefixes the platform answers under (on-premise context paths). */
  contextPaths(fixture: F): string[];
  /** Lifecycle policy from fixtures for one app (scenarios are applied on top by the core). */
  policy(fixture: F, appId: string): LifecyclePolicy;
  /** Mutable per-world platform data (device states, next validate codes), JSON-serialisable. */
  initialState(fixture: F): S;
  summary(fixture: F, baseUrl: string): PlatformSummary;
  /**
   * The platform's own shape for requests the core refuses before any endpoint runs. `endpoint` is the
   * one the request was for, so a platform can answer its browser pages in HTML and its API in JSON.
   */
  transportError(failure: TransportFailure, fixture: F, endpoint?: Endpoint): Reply;
  /** Extra control-plane routes, mounted under /__sandbox/<id>/ (e.g. setting the next SMS code). */
  admin?(router: Router, worldOf: (req: Request) => World): void;
  /** The error kinds a scenario fault rule may ask for (the catalogue's names), checked when it loads. */
  errorKinds?: readonly string[];
  /** Render one catalogue error as `endpoint` would answer it (fault injection); undefined for an unknown kind. */
  errorReply?(kind: string, fixture: F, endpoint: Endpoint, detail?: string): Reply | undefined;
  /** Tags of gateway methods (e.g. `{"open.auth.token.app": ["token"]}`), so tag rules reach calls behind one gateway endpoint. */
  methodTags?: Readonly<Record<string, readonly string[]>>;
}

// Platforms are heterogenous in their fixture and state types; the registry holds them erased.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPlatform = PlatformDefinition<any, any>;
