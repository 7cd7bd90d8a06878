import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Journal } from '../journal.js';
import { maskSecrets } from '../journal.js';
import type { Logger } from '../log.js';
import type { AnyPlatform, Endpoint, PlatformRequest, Reply } from '../platform.js';
import type { World } from '../world.js';
import { jsonReply, TEXT_UTF8 } from './reply.js';
import { readBody } from './body.js';
import { queryParams } from './params.js';
import type { RouteTable } from './route-table.js';

/** Which world a request acts on, and its path with any session prefix removed. */
export interface WorldResolution {
  world: World;
  path: string;
  /** Prefix to put back in front of platform base URLs (`/s/<id>` for sessions). */
  prefix: string;
}

export type WorldResolver = (path: string, headers: IncomingHttpHeaders) => WorldResolution | Reply;

export interface Exchange {
  world: World;
  platform: AnyPlatform;
  endpoint: Endpoint;
  request: PlatformRequest;
}

/** Wraps an endpoint call: scenario fault rules live here. */
export type Interceptor = (exchange: Exchange, next: () => Promise<Reply>) => Promise<Reply>;

export interface DispatcherOptions {
  routes: () => RouteTable;
  resolveWorld: WorldResolver;
  journal: Journal;
  logger: Logger;
  bodyLimit: number;
  interceptors?: Interceptor[];
}

const JOURNAL_TEXT_LIMIT = 4096;
const CONTROL_PLANE = /^(\/s\/[^/]+)?\/__sandbox(\/|$)/;

export type Dispatcher = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The one handler that serves every platform endpoint, on node:http before any framework: resolve
 * the world, find the route, read the body once, run the endpoint (through the interceptors), write
 * the reply, journal it. Anything that is not a platform endpoint goes to `next` (the control plane).
 */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  return (req, res, next) => {
    const started = performance.now();
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
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
    const resolved = opts.resolveWorld(pathname, req.headers);
    if (!('world' in resolved)) return send(res, resolved);
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
      world,
      baseUrl: `http://${host}${resolved.prefix}${route.prefix}`,
    };

    const finish = (reply: Reply) => {
      const ms = performance.now() - started;
      opts.journal.record({
        time: world.clock.now(),
        session: world.id,
        platform: platform.id,
        endpoint: endpoint.name,
        method,
        path: pathname,
        status: reply.status,
        durationMs: Math.round(ms * 100) / 100,
        request: {
          query: maskSecrets(request.query) as Record<string, unknown>,
          body: maskSecrets(reply.params ?? bodyText(request.rawBody)),
          contentType: request.contentType || undefined,
        },
        response: { contentType: reply.contentType, body: reply.transport ? `(${reply.transport})` : maskSecrets(journalBody(reply)) },
        rule: reply.rule,
      });
      opts.logger.request({ session: world.id, platform: platform.id, endpoint: endpoint.name, method, path: pathname, status: reply.status, ms, rule: reply.rule });
      if (reply.delayMs) setTimeout(() => send(res, reply), reply.delayMs).unref();
      else send(res, reply);
    };

    const run = (): Promise<Reply> => Promise.resolve().then(() => endpoint.handle(request));
    const chain = (opts.interceptors ?? []).reduceRight<() => Promise<Reply>>((nextStep, icpt) => () => icpt({ world, platform, endpoint, request }, nextStep), run);

    readBody(req, opts.bodyLimit, (result) => {
      if (!result.ok) return finish(platform.transportError(result.failure, world.fixture(platform.id), endpoint));
      request.rawBody = result.body;
      chain().then(finish, (e: unknown) => {
        opts.logger.error(`${platform.id}/${endpoint.name} failed: ${(e as Error)?.stack ?? String(e)}`);
        finish(jsonReply({ error: 'sandbox_internal_error', message: `The sandbox failed on this request (${(e as Error)?.message ?? e}). This is a sandbox bug: please report it with the request.` }, 500));
      });
    });
  };
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

/**
 * A header value Node will write: a redirect built from a client's redirect_uri may hold line breaks or
 * non-Latin-1 text, which would make writeHead throw and leave the client without an answer. Such
 * characters go percent-encoded as UTF-8, as a browser would send them.
 */
export function headerValue(value: string): string {
  if (!/[^\t\x20-\x7e]/.test(value)) return value;
  return Array.from(value, (ch) => {
    if (ch === '\t' || (ch >= ' ' && ch <= '~')) return ch;
    return Array.from(Buffer.from(ch, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }).join('');
}

/** The single place where a reply becomes bytes on the wire. */
export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  if (reply.transport === 'reset') {
    res.socket?.resetAndDestroy?.();
    res.socket?.destroy();
    return;
  }
  if (reply.transport === 'empty') {
    res.socket?.end();
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(reply.body) };
  for (const name in reply.headers) headers[name] = headerValue(reply.headers[name]);
  if (reply.contentType) headers['content-type'] = reply.contentType;
  else if (reply.body !== '') headers['content-type'] = TEXT_UTF8;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}
