import type { IncomingHttpHeaders } from 'node:http';
import type { AnyPlatform, Endpoint, PlatformRequest, Reply } from '../platform.js';
import type { MaybePromise } from '../state/maybe-async.js';
import type { World } from '../world.js';

/** What the dispatcher hands to the layers below it (world resolution, interceptors): types only, so those layers need not import the dispatcher. */

/** Which world a request acts on, and its path with any session prefix removed. */
export interface WorldResolution {
  world: World;
  path: string;
  /** Prefix to put back in front of platform base URLs (`/s/<id>` for sessions). */
  prefix: string;
}

/**
 * A world, or the id of a session that does not exist: at once when this process knows (always for a
 * request naming no session), with a promise when a shared store must be asked.
 */
export type WorldResolver = (path: string, headers: IncomingHttpHeaders) => MaybePromise<WorldResolution | { unknownSession: string }>;

/** One request on its way through the interceptors: what was asked, of which platform, in which world. */
export interface Exchange {
  world: World;
  platform: AnyPlatform;
  endpoint: Endpoint;
  request: PlatformRequest;
  /** What the endpoint parsed, when it could (a request refused while parsing has none). */
  params: unknown;
  /** The business method a gateway call names (`open.auth.token.app`), when the platform says. */
  apiMethod?: string;
}

/** Wraps an endpoint call: scenario fault rules live here. A ProtocolError it throws is rendered as the platform's own refusal. */
export interface Interceptor {
  (exchange: Exchange, next: () => Promise<Reply>): Promise<Reply>;
  /**
   * Whether it has anything to do in this world (the scenario engine: a fault rule is active there).
   * When no interceptor has, the dispatcher calls the endpoint directly; one without this is always entered.
   */
  engaged?(world: World): boolean;
}
