import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JournalEntry } from '../journal.js';
import type { Logger } from '../log.js';
import type { Reply } from '../platform.js';
import { isPromise, type MaybePromise } from '../state/maybe-async.js';
import type { World } from '../world.js';
import { readBody, type BodyLimits, type BodyResult } from './body.js';
import type { Deliver } from './delivery.js';
import { arrivalFacts, bodyText, mediaType, type Arrival } from './exchange-record.js';
import type { Miss } from './near-miss.js';
import { queryParams } from './params.js';
import type { RouteTable } from './route-table.js';
import { send } from './send.js';

export interface UnmatchedOptions {
  routes: () => RouteTable;
  /** The control plane's answer to a request naming a session that does not exist. */
  unknownSession: (id: string) => Reply;
  limits: BodyLimits;
  deliver: Deliver;
  logger: Logger;
}

/**
 * The requests no endpoint serves, as the dispatcher hands them on: a wrong path or method (answered
 * 404 or 405 as always) and a session that does not exist (404 unknown_session). Each is journaled and
 * logged with what the client probably meant, so a wrong base path, method or session is seen, not guessed.
 */
export interface Unmatched {
  /** The miss of a request under a session that does not exist: its answer, and how to create or find the session. */
  sessionMiss(req: IncomingMessage, at: Arrival, id: string): Miss;
  /** Read the body (or take the one being read), journal the miss in `world`, answer it. */
  missed(req: IncomingMessage, res: ServerResponse, at: Arrival, world: World, miss: Miss, pendingBody: Promise<BodyResult> | undefined): MaybePromise<void>;
}

export function createUnmatched(opts: UnmatchedOptions): Unmatched {
  const { limits, deliver, logger } = opts;
  const failed = (e: unknown) => logger.error(`request failed: ${(e as Error)?.stack ?? String(e)}`);
  return {
    /**
     * Answered 404 unknown_session as always, and journaled in the default world (the unknown session
     * has no journal): a test that forgot to create its session, or ended it too early, sees why there.
     */
    sessionMiss(req, at, id) {
      const rest = at.pathname.startsWith(`/s/${id}`) ? at.pathname.slice(`/s/${id}`.length) || '/' : at.pathname;
      const by = rest === at.pathname ? 'the X-Sandbox-Session header' : `the /s/${id} prefix`;
      const routes = opts.routes();
      const route = routes.find(req.method ?? 'GET', rest);
      return {
        reply: opts.unknownSession(id),
        platform: route?.platform.id ?? routes.prefixOwner(rest),
        hint: `No session "${id}" (named by ${by}): create it with POST /__sandbox/sessions {"id": "${id}"} before sending requests to it, or list the open ones with GET /__sandbox/sessions.`,
      };
    },

    missed(req, res, at, world, miss, pendingBody) {
      const withBody = (result: BodyResult): MaybePromise<void> => {
        const ms = performance.now() - at.started;
        const body = result.ok ? result.body : undefined;
        const entry: Omit<JournalEntry, 'id'> = {
          time: world.clock.now(),
          session: world.id,
          platform: miss.platform,
          endpoint: '',
          matched: false,
          hint: miss.hint,
          method: req.method ?? 'GET',
          path: at.pathname,
          status: miss.reply.status,
          durationMs: Math.round(ms * 100) / 100,
          request: {
            // Masked by the journal when it is read (see maskEntry).
            query: queryParams(at.q < 0 ? '' : at.url.slice(at.q + 1)),
            body: bodyText(body),
            ...arrivalFacts(req, at, body, mediaType(req.headers['content-type'])),
          },
          response: { contentType: miss.reply.contentType, body: miss.reply.data },
        };
        return deliver(res, entry, miss.reply, ms);
      };
      if (pendingBody) return pendingBody.then(withBody);
      readBody(req, limits, (result) => {
        try {
          const done = withBody(result);
          if (isPromise(done)) done.catch(failed);
        } catch (e) {
          failed(e);
          send(res, miss.reply);
        }
      });
    },
  };
}
