import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { ProtocolError } from './errors/protocol-error.js';
import type { MultipartForm } from './http/body.js';
import type { KeyEntry } from './signing/key-entry.js';
import type { LifecyclePolicy, PolicyOverride } from './tokens/policy.js';
import type { World } from './world.js';

/** What an endpoint sees of a request: its native path and what came on the wire. */
export interface PlatformRequest {
  method: string;
  /** The native path, after any `/<platform-id>`, context-path or `/s/<session>` prefix was removed. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Lower-case media type without parameters, '' when absent. */
  contentType: string;
  rawBody: Buffer | undefined;
  /** A multipart/form-data body, read as it streamed in (rawBody is then undefined). */
  form?: MultipartForm;
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
  /** Transport-level behaviour set by fault injection: hold the answer, or break the connection. */
  delayMs?: number;
  transport?: 'reset' | 'empty';
  /** The scenario rule that shaped this answer, for the journal. */
  rule?: string;
}

/** Everything an endpoint works with; the dispatcher builds it once per request. */
export interface EndpointContext<F = unknown, I = unknown, U extends string = string> {
  world: World;
  fixture: F;
  /** The platform's lookups over `fixture`, built once per fixture load. */
  index: I;
  request: PlatformRequest;
  endpoint: Endpoint<F, I, unknown, U>;
}

/**
 * One endpoint: `parse` reads the request into the params the journal records (throwing a
 * ProtocolError for a request refused before any business), `handle` does the business. Saving
 * the world, journaling and rendering errors are the dispatcher's.
 */
export interface Endpoint<F = unknown, I = unknown, P = unknown, U extends string = string> {
  /** 'GET', 'POST', or '*' for any method. */
  method: string;
  /** Native path, e.g. '/oauth/token.as'. */
  path: string;
  /** Stable name for the journal, filters and fault rules, e.g. 'token.as'. */
  name: string;
  /**
   * Which face of the platform answers here, in the platform's own words ('gateway', 'page'): the
   * platform's error renderer answers a refusal in that face's shape. Absent where a platform has one face.
   */
  surface?: U;
  /**
   * Platform-neutral roles that scenario fault rules can target on every platform at once:
   * 'oauth' (any OAuth endpoint), 'authorize' (issues codes), 'token' (issues or refreshes tokens),
   * 'refresh', 'resource' (needs an access token), 'signed' (checks a request signature).
   */
  tags?: readonly string[];
  parse(req: PlatformRequest, ctx: EndpointContext<F, I, U>): P;
  /** How the params read in the journal, when not as parsed (a JSON text shown as the object it holds). */
  journal?(params: P, ctx: EndpointContext<F, I, U>): unknown;
  handle(params: P, ctx: EndpointContext<F, I, U>): Reply | Promise<Reply>;
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
  /** The UTC offset in which the platform reads the timestamps clients sign (the dashboard shows that time); absent where clients sign none. */
  timestampUtcOffsetMinutes?: number;
}

/** Where an error is being answered: the endpoint and request when there is one (a fault rule has both). */
export interface RenderContext<F = unknown, I = unknown, U extends string = string> {
  world: World;
  fixture: F;
  index: I;
  /** Its `surface` says in which shape to answer. */
  endpoint?: Endpoint<F, I, unknown, U>;
  request?: PlatformRequest;
  /** The parsed params, when parsing got that far. */
  params?: unknown;
}

/**
 * A platform's errors: the kinds its catalogue holds and the one renderer of them. Besides its own,
 * every platform renders the kinds the core raises: body_too_large, unreadable_body and
 * service_unavailable (core/errors/protocol-error.ts).
 */
export interface ErrorFace<F, I, U extends string = string> {
  /** Every kind `render` answers (what fault rules may ask for), checked when a scenario loads. */
  kinds: readonly string[];
  render(error: ProtocolError, ctx: RenderContext<F, I, U>): Reply;
}

/** What `sandbox sign` computes for a platform: the values a client derives and the request they go into. */
export interface SignedRequest {
  /** One line saying which app/user/key the values were made with. */
  about: string;
  values: Record<string, string>;
  request?: { method: 'POST'; path: string; form?: Record<string, string>; json?: Record<string, unknown> };
}

/** The input of `sandbox sign`: common options plus each platform's own (its documented flag names, camel-cased). */
export interface SignInput {
  app?: string;
  /** Sandbox time to sign at (epoch ms). */
  at: number;
  /** The platform-format timestamp verbatim, instead of one made from `at`. */
  timestamp?: string;
  params: Record<string, string>;
  [option: string]: unknown;
}

export interface SigningFace<F> {
  /** Actions, the first being the default when the user names none (undefined: an action is required). */
  actions: readonly string[];
  defaultAction?: string;
  /** Which `sandbox sign` options this platform reads, with their help text. */
  options: Readonly<Record<string, string>>;
  sign(fixture: F, action: string, input: SignInput): SignedRequest;
}

/** An extra control-plane route a platform brings (mounted under /__sandbox/<id>/). */
export interface PlatformAdminRoute<F = unknown, I = unknown> {
  method: 'GET' | 'POST';
  path: string;
  summary: string;
  /**
   * The JSON body it takes, for validation and the OpenAPI description. Loaded with the control plane
   * (zod is not on the platforms' path); it may name what the fixture holds in its messages.
   */
  body?: (fixture: F) => Promise<z.ZodType>;
  example?: unknown;
  handle(input: { body: unknown; world: World; fixture: F; index: I }): Promise<unknown> | unknown;
}

/** `U`: the names of the platform's surfaces (its endpoints' `surface`), which its error renderer switches on. */
export interface PlatformDefinition<F = unknown, S = unknown, I = unknown, U extends string = string> {
  id: string;
  title: string;
  /**
   * The schema of one fixture section (`{"<id>": {...}}`); every field has a default so files may be
   * partial. Loaded on demand (core/validation/lazy-schemas.ts): serving the built-in fixtures needs no zod.
   */
  loadFixtureSchema(): Promise<z.ZodType<F>>;
  /** Lookups over one fixture (apps by id, parsed keys, ...), built once each time fixtures load. */
  index(fixture: F): I;
  endpoints: readonly Endpoint<F, I, unknown, U>[];
  /** Extra path prefixes the platform answers under (on-premise context paths). */
  contextPaths(fixture: F): string[];
  /** The platform's token rules; the fixture's `policy`, then the app's, then scenarios are laid over them by the core. */
  basePolicy: LifecyclePolicy;
  /** One app's own overrides (and anything the platform derives for it), over the fixture's `policy`. */
  appPolicy?(fixture: F, index: I, appId: string, composed: LifecyclePolicy): PolicyOverride | undefined;
  /** Mutable per-world platform data (device states, next validate codes), JSON-serialisable. */
  initialState(fixture: F): S;
  /**
   * The schema of that data, checked when a --db file is read, so a damaged or hand-edited one is refused with
   * the field it got wrong instead of failing every request. Loaded on demand, like the fixture schema.
   */
  loadStateSchema?(): Promise<z.ZodType<S>>;
  summary(fixture: F, baseUrl: string): PlatformSummary;
  errors: ErrorFace<F, I, U>;
  /** The business method a call names, for gateway endpoints (SOP's `method`, a renamed ZJRC field, router.as). */
  methodOf?(params: unknown, fixture: F): string | undefined;
  /** Tags of business methods (e.g. `{"open.auth.token.app": ["token"]}`), so tag rules reach calls behind one gateway endpoint. */
  methodTags?: Readonly<Record<string, readonly string[]>>;
  /** Tags a call earns from its parameters, where its method cannot tell (SOP's refresh shares `open.auth.token.app` with the code exchange): the tags it can give, and those a call gets. */
  paramTags?: { tags: readonly string[]; of(params: unknown): readonly string[] };
  signing?: SigningFace<F>;
  /** The key pairs the fixture holds, with what a client does with each (`sandbox keys`). */
  keys?(fixture: F): KeyEntry[];
  admin?: readonly PlatformAdminRoute<F, I>[];
}

// Platforms are heterogenous in their fixture, state and index types; the registry holds them erased.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPlatform = PlatformDefinition<any, any, any>;
