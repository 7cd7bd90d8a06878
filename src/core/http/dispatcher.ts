import type { IncomingMessage, ServerResponse } from 'node:http';
import { internalErrorBody } from '../errors/internal-error.js';
import { BODY_TOO_LARGE, ProtocolError, SERVICE_UNAVAILABLE, UNREADABLE_BODY } from '../errors/protocol-error.js';
import type { Journal } from '../journal.js';
import type { JournalEntry } from '../journal.js';
import type { Logger } from '../log.js';
import type { EndpointContext, PlatformRequest, Reply } from '../platform.js';
import { StoreUnavailable } from '../state/store-unavailable.js';
import { attempt, isPromise, then, type MaybePromise } from '../state/maybe-async.js';
import type { World } from '../world.js';
import type { Exchange, Interceptor, WorldResolution, WorldResolver } from './exchange.js';
import { readBody, type BodyLimits, type BodyResult } from './body.js';
import { createDelivery } from './delivery.js';
import { arrivalFacts, bodyText, journalBody, mediaType, type Arrival } from './exchange-record.js';
import { answerMiss } from './near-miss.js';
import { queryParams } from './params.js';
import type { RouteTable } from './route-table.js';
import { send } from './send.js';
import { createUnmatched } from './unmatched.js';

export { mediaType } from './exchange-record.js';

export interface DispatcherOptions {
  routes: () => RouteTable;
  resolveWorld: WorldResolver;
  /** The control plane's answer to a request naming a session that does not exist. */
  unknownSession: (id: string) => Reply;
  /** The world whose journal keeps requests that name no existing session. */
  defaultWorld: () => World;
  journal: Journal;
  logger: Logger;
  /** The bytes of a body kept in memory (form, JSON, text; a multipart body's fields). */
  bodyLimit: number;
  /** A whole multipart/form-data body, whose file parts are streamed, never kept (default: bodyLimit). */
  uploadLimit?: number;
  interceptors?: readonly Interceptor[];
  /** Holds an answer a fault rule delays (the sandbox releases them all when it stops); a plain timer without one. */
  hold?: (ms: number, send: () => void) => void;
}

const CONTROL_PLANE = /^(\/s\/[^/]+)?\/__sandbox(\/|$)/;

export type Dispatcher = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The one handler that serves every platform endpoint, on node:http before any framework: resolve
 * the world, find the route, read the body once, let the endpoint parse it, run the endpoint through
 * the interceptors, render a refusal in the platform's shape, make the world's changes durable, then
 * journal and write the answer (delivery.ts). The control plane goes to `next`; a request no endpoint
 * serves is answered by unmatched.ts, and journaled with a near-miss hint.
 */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const intercept = composeInterceptors(opts.interceptors ?? []);
  const hold = opts.hold ?? ((ms: number, fn: () => void) => setTimeout(fn, ms).unref());
  const limits: BodyLimits = { held: opts.bodyLimit, upload: opts.uploadLimit ?? opts.bodyLimit };
  const deliver = createDelivery({ journal: opts.journal, logger: opts.logger, hold });
  const { missed, sessionMiss } = createUnmatched({ routes: opts.routes, unknownSession: opts.unknownSession, limits, deliver, logger: opts.logger });
  return (req, res, next) => {
    const at: Arrival = { started: performance.now(), url: req.url ?? '/', q: -1, pathname: '' };
    at.q = at.url.indexOf('?');
    const rawPath = at.q < 0 ? at.url : at.url.slice(0, at.q);
    try {
      at.pathname = decodeURI(rawPath);
    } catch {
      at.pathname = rawPath;
    }
    // The control plane checks its admin token before it says whether a session exists, so an
    // unknown /s/<id>/__sandbox/… (or session header) must not be answered here first.
    if (CONTROL_PLANE.test(at.pathname)) return next();
    const crash = (e: unknown) => {
      opts.logger.error(`request failed: ${(e as Error)?.stack ?? String(e)}`);
      send(res, internalError(e));
    };
    try {
      const resolved = opts.resolveWorld(at.pathname, req.headers);
      // A request naming no session (or one this process knows) goes on at once, without a turn of the event loop.
      if (!isPromise(resolved)) return catchAsync(serve(req, res, at, resolved, undefined, crash), crash);
      // A shared store is asked which world: the body is read meanwhile.
      const body = new Promise<BodyResult>((resolve) => readBody(req, limits, resolve));
      resolved.then((r) => serve(req, res, at, r, body, crash)).catch(crash);
    } catch (e) {
      crash(e);
    }
  };

  function serve(
    req: IncomingMessage,
    res: ServerResponse,
    at: Arrival,
    resolved: WorldResolution | { unknownSession: string },
    pendingBody: Promise<BodyResult> | undefined,
    crash: (e: unknown) => void,
  ): MaybePromise<void> {
    const { url, q, pathname } = at;
    const method = req.method ?? 'GET';
    if ('unknownSession' in resolved) return missed(req, res, at, opts.defaultWorld(), sessionMiss(req, at, resolved.unknownSession), pendingBody);
    const route = opts.routes().find(method, resolved.path);
    if (!route) {
      const rawPath = q < 0 ? url : url.slice(0, q);
      return missed(req, res, at, resolved.world, answerMiss(opts.routes(), method, rawPath, resolved.path), pendingBody);
    }
    const { world } = resolved;
    const { platform, endpoint } = route;
    const host = req.headers.host ?? 'localhost';
    const request: PlatformRequest = {
      method,
      path: resolved.path.slice(route.prefix.length) || '/',
      query: queryParams(q < 0 ? '' : url.slice(q + 1)),
      headers: req.headers,
      contentType: mediaType(req.headers['content-type']),
      rawBody: undefined,
      baseUrl: `http://${host}${resolved.prefix}${route.prefix}`,
    };
    const ctx: EndpointContext = { world, fixture: world.fixture(platform.id), index: world.index(platform.id), request, endpoint };
    const versionBefore = world.version;
    let params: unknown;
    let apiMethod: string | undefined;
    let note: string | undefined;

    const render = (error: ProtocolError): Reply => {
      note ??= error.note;
      const reply = platform.errors.render(error, { world, fixture: ctx.fixture, index: ctx.index, endpoint, request, params });
      return error.fault ? Object.assign(reply, error.fault) : reply;
    };
    // A shared store that did not answer: the platform's own "system busy", and the cause in the journal.
    const unavailable = (e: StoreUnavailable): Reply => {
      note = `the shared store did not answer: ${(e.cause as Error)?.message ?? String(e.cause)}`;
      return render(new ProtocolError(SERVICE_UNAVAILABLE));
    };
    // A sandbox bug: a 500 whose body is the platform's own system error, as a real platform's failing
    // server answers; the journal, the log and a header name the bug, so a test or a fuzzer still sees it.
    const failed = (e: unknown): Reply => {
      const message = (e as Error)?.message ?? String(e);
      opts.logger.error(`${platform.id}/${endpoint.name} failed: ${(e as Error)?.stack ?? message}`);
      note = `the sandbox failed on this request (a sandbox bug, please report it with the request): ${message}`;
      try {
        const reply = render(new ProtocolError(SERVICE_UNAVAILABLE));
        return { ...reply, status: 500, headers: { ...reply.headers, [INTERNAL_ERROR_HEADER]: encodeURIComponent(message.slice(0, 200)) } };
      } catch {
        return internalError(e);
      }
    };
    // What went wrong between the endpoint and the answer leaving: the store, or a bug.
    const recover = (e: unknown): Reply => (e instanceof StoreUnavailable ? unavailable(e) : failed(e));

    const finish = (reply: Reply): MaybePromise<void> => {
      const ms = performance.now() - at.started;
      const entry: Omit<JournalEntry, 'id'> = {
        time: world.clock.now(),
        session: world.id,
        platform: platform.id,
        endpoint: endpoint.name,
        matched: true,
        ...(apiMethod !== undefined ? { apiMethod } : {}),
        method,
        path: pathname,
        status: reply.status,
        durationMs: Math.round(ms * 100) / 100,
        request: {
          query: request.query,
          body: params === undefined ? bodyText(request.rawBody) : endpoint.journal ? endpoint.journal(params, ctx) : params,
          ...arrivalFacts(req, at, request.rawBody, request.contentType),
        },
        // The request and the answer are masked by the journal when it is read (see maskEntry).
        response: { contentType: reply.contentType, body: reply.transport ? `(${reply.transport})` : journalBody(reply) },
        ...(reply.rule !== undefined ? { rule: reply.rule } : {}),
        ...(note !== undefined ? { note } : {}),
      };
      return deliver(res, entry, reply, ms);
    };

    // The endpoint, through the interceptors when one has work in this world; a change made while
    // answering, on a success or a failure path, is kept before the answer leaves.
    const respond = (): MaybePromise<void> => {
      let refused: ProtocolError | undefined;
      try {
        params = endpoint.parse(request, ctx);
        apiMethod = platform.methodOf?.(params, ctx.fixture);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        refused = e;
      }
      const run = (): MaybePromise<Reply> => {
        if (refused) return render(refused);
        return attempt(
          () => endpoint.handle(params, ctx),
          (e) => {
            if (e instanceof ProtocolError) return render(e);
            throw e;
          },
        );
      };
      const kept = (reply: Reply): MaybePromise<void> => {
        if (world.version === versionBefore) return finish(reply);
        return then(
          attempt(
            () => world.flush(),
            (e) => void (reply = recover(e)),
          ),
          () => finish(reply),
        );
      };
      const reply = attempt<Reply>(
        () => (intercept?.engaged(world) ? intercept.run({ world, platform, endpoint, request, params, apiMethod }, run) : run()),
        // A fault rule throws the platform error it answers with, to be rendered as a real refusal is.
        (e) => (e instanceof ProtocolError ? render(e) : recover(e)),
      );
      return isPromise(reply) ? reply.then(kept) : kept(reply);
    };

    const withBody = (result: BodyResult): MaybePromise<void> => {
      if (!result.ok) {
        note ??= result.note;
        return finish(render(new ProtocolError(result.failure === 'too_large' ? BODY_TOO_LARGE : UNREADABLE_BODY)));
      }
      request.rawBody = result.body;
      if (result.form) request.form = result.form;
      return respond();
    };

    if (world.link) {
      // A shared world: its clock and scenarios as the other processes left them, or gone (its session ended elsewhere).
      return Promise.all([world.sync(), pendingBody ?? new Promise<BodyResult>((resolve) => readBody(req, limits, resolve))]).then(
        ([exists, result]) => (exists ? withBody(result) : send(res, opts.unknownSession(world.id))),
        (e: unknown) => {
          if (e instanceof StoreUnavailable) return finish(unavailable(e));
          throw e;
        },
      );
    }
    if (pendingBody) return pendingBody.then(withBody);
    // The body is read straight into the rest of the request: a world in this process has nothing to wait for meanwhile.
    readBody(req, limits, (result) => {
      try {
        catchAsync(withBody(result), crash);
      } catch (e) {
        crash(e);
      }
    });
  }
}

/** The interceptors, composed once: `engaged` says whether any has work in a world (none: the endpoint is called directly). */
function composeInterceptors(
  interceptors: readonly Interceptor[],
): { engaged: (world: World) => boolean; run: (exchange: Exchange, last: () => MaybePromise<Reply>) => Promise<Reply> } | undefined {
  if (interceptors.length === 0) return undefined;
  const engaged = (world: World) => interceptors.some((i) => !i.engaged || i.engaged(world));
  const run = interceptors.reduceRight<(exchange: Exchange, last: () => Promise<Reply>) => Promise<Reply>>(
    (inner, icpt) => (exchange, last) => icpt(exchange, () => inner(exchange, last)),
    (_exchange, last) => last(),
  );
  return { engaged, run: (exchange, last) => run(exchange, async () => last()) };
}

function catchAsync(done: MaybePromise<void>, failed: (e: unknown) => void): void {
  if (isPromise(done)) done.catch(failed);
}

/** Set on an answer that a sandbox bug produced (its body is the platform's system error): what failed. */
export const INTERNAL_ERROR_HEADER = 'x-sandbox-internal-error';

/** When even the platform's renderer fails: the sandbox's own bug report. */
function internalError(e: unknown): Reply {
  const body = internalErrorBody(
    `The sandbox failed on this request (${(e as Error)?.message ?? e}). This is a sandbox bug: please report it with the request.`,
  );
  return { status: 500, contentType: 'application/json;charset=UTF-8', body: JSON.stringify(body), data: body };
}
