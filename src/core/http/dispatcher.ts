import type { IncomingMessage, ServerResponse } from 'node:http';
import { internalErrorBody } from '../errors/internal-error.js';
import { BODY_TOO_LARGE, ProtocolError, SERVICE_UNAVAILABLE, UNREADABLE_BODY } from '../errors/protocol-error.js';
import type { Journal } from '../journal.js';
import { maskSecrets } from '../journal.js';
import type { Logger } from '../log.js';
import type { EndpointContext, PlatformRequest, Reply } from '../platform.js';
import { StoreUnavailable } from '../state/store-unavailable.js';
import type { Exchange, Interceptor, WorldResolver } from './exchange.js';
import { readBody, type BodyResult } from './body.js';
import { queryParams } from './params.js';
import type { RouteTable } from './route-table.js';
import { send } from './send.js';

export interface DispatcherOptions {
  routes: () => RouteTable;
  resolveWorld: WorldResolver;
  /** The control plane's answer to a request naming a session that does not exist. */
  unknownSession: (id: string) => Reply;
  journal: Journal;
  logger: Logger;
  bodyLimit: number;
  interceptors?: Interceptor[];
  /** Holds an answer a fault rule delays (the sandbox releases them all when it stops); a plain timer without one. */
  hold?: (ms: number, send: () => void) => void;
}

const JOURNAL_TEXT_LIMIT = 4096;
const CONTROL_PLANE = /^(\/s\/[^/]+)?\/__sandbox(\/|$)/;

export type Dispatcher = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The one handler that serves every platform endpoint, on node:http before any framework: resolve
 * the world, find the route, read the body once, let the endpoint parse it, run the endpoint through
 * the interceptors, render a refusal in the platform's shape, make the world's changes durable, then
 * journal and write the answer. Anything that is not a platform endpoint goes to `next`.
 */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const interceptors = opts.interceptors ?? [];
  return (req, res, next) => {
    const started = performance.now();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    let pathname: string;
    try {
      pathname = decodeURI(rawPath);
    } catch {
      pathname = rawPath;
    }
    // The control plane checks its admin token before it says whether a session exists, so an
    // unknown /s/<id>/__sandbox/… (or session header) must not be answered here first.
    if (CONTROL_PLANE.test(pathname)) return next();
    // The body is read at once, while the world is looked up (in a shared store that is a round trip).
    const body = new Promise<BodyResult>((resolve) => readBody(req, opts.bodyLimit, resolve));
    serve(req, res, next, { started, url, q, pathname, body }).catch((e: unknown) => {
      opts.logger.error(`request failed: ${(e as Error)?.stack ?? String(e)}`);
      send(res, internalError(e));
    });
  };

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    next: () => void,
    at: { started: number; url: string; q: number; pathname: string; body: Promise<BodyResult> },
  ): Promise<void> {
    const { url, q, pathname } = at;
    const method = req.method ?? 'GET';
    const resolved = await opts.resolveWorld(pathname, req.headers);
    if ('unknownSession' in resolved) return send(res, opts.unknownSession(resolved.unknownSession));
    const route = opts.routes().find(method, resolved.path);
    if (!route) return next();
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

    const finish = async (reply: Reply) => {
      const ms = performance.now() - at.started;
      const entry = {
        time: world.clock.now(),
        session: world.id,
        platform: platform.id,
        endpoint: endpoint.name,
        ...(apiMethod !== undefined ? { apiMethod } : {}),
        method,
        path: pathname,
        status: reply.status,
        durationMs: Math.round(ms * 100) / 100,
        request: {
          query: maskSecrets(request.query) as Record<string, unknown>,
          body: maskSecrets(params === undefined ? bodyText(request.rawBody) : endpoint.journal ? endpoint.journal(params, ctx) : params),
          contentType: request.contentType || undefined,
        },
        response: { contentType: reply.contentType, body: reply.transport ? `(${reply.transport})` : maskSecrets(journalBody(reply)) },
        ...(reply.rule !== undefined ? { rule: reply.rule } : {}),
        ...(note !== undefined ? { note } : {}),
      };
      try {
        await opts.journal.record(entry);
      } catch (e) {
        // The answer stands (a token in it is already in the store); only its journal entry is lost.
        opts.logger.warn(`journal entry not kept: ${(e as Error).message}`);
      }
      opts.logger.request({
        session: world.id,
        platform: platform.id,
        endpoint: endpoint.name,
        apiMethod,
        method,
        path: pathname,
        status: reply.status,
        ms,
        rule: reply.rule,
        note,
      });
      if (reply.delayMs) (opts.hold ?? ((ms, fn) => setTimeout(fn, ms).unref()))(reply.delayMs, () => send(res, reply));
      else send(res, reply);
    };

    let result: BodyResult;
    try {
      // A shared world: its clock and scenarios as the other processes left them, or gone (its session ended elsewhere).
      const [exists, body] = await Promise.all([world.sync(), at.body]);
      if (!exists) return send(res, opts.unknownSession(world.id));
      result = body;
    } catch (e) {
      if (e instanceof StoreUnavailable) return finish(unavailable(e));
      throw e;
    }
    if (!result.ok) return finish(render(new ProtocolError(result.failure === 'too_large' ? BODY_TOO_LARGE : UNREADABLE_BODY)));
    request.rawBody = result.body;
    if (result.form) request.form = result.form;
    let refused: ProtocolError | undefined;
    try {
      params = endpoint.parse(request, ctx);
      apiMethod = platform.methodOf?.(params, ctx.fixture);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      refused = e;
    }
    const run = async (): Promise<Reply> => {
      try {
        if (refused) throw refused;
        return await endpoint.handle(params, ctx);
      } catch (e) {
        if (e instanceof ProtocolError) return render(e);
        throw e;
      }
    };
    const exchange: Exchange = { world, platform, endpoint, request, params, apiMethod };
    const chain = interceptors.reduceRight<() => Promise<Reply>>((nextStep, icpt) => () => icpt(exchange, nextStep), run);
    let reply: Reply;
    try {
      // A fault rule throws the platform error it answers with, to be rendered as a real refusal is.
      reply = await chain().catch((e: unknown) => (e instanceof ProtocolError ? render(e) : Promise.reject(e)));
      // A change made while answering, on a success or a failure path, is kept before the answer leaves.
      if (world.version !== versionBefore) await world.flush();
    } catch (e) {
      reply = e instanceof StoreUnavailable ? unavailable(e) : failed(e);
    }
    return finish(reply);
  }
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

export function mediaType(header: string | undefined): string {
  if (!header) return '';
  const semi = header.indexOf(';');
  return (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
}

function bodyText(body: Buffer | undefined): string | undefined {
  if (!body || body.length === 0) return undefined;
  const text = body.subarray(0, JOURNAL_TEXT_LIMIT).toString('utf8');
  return body.length > JOURNAL_TEXT_LIMIT ? `${text}… (${body.length} bytes)` : text;
}

function journalBody(reply: Reply): unknown {
  if (reply.data !== undefined) return reply.data;
  return reply.body.length > JOURNAL_TEXT_LIMIT ? `${reply.body.slice(0, JOURNAL_TEXT_LIMIT)}…` : reply.body;
}
