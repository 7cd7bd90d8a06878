import type { IncomingMessage, ServerResponse } from 'node:http';
import { BODY_TOO_LARGE, ProtocolError, SERVICE_UNAVAILABLE } from '../core/errors/protocol-error.js';
import { mediaType } from '../core/http/dispatcher.js';
import type { WorldResolver } from '../core/http/exchange.js';
import { queryParams } from '../core/http/params.js';
import type { RouteTable } from '../core/http/route-table.js';
import { send } from '../core/http/send.js';
import { journalHeaders, journalQuery, maskSecrets, type Journal, type JournalEntry } from '../core/journal.js';
import type { Logger } from '../core/log.js';
import type { EndpointContext, PlatformRequest, Reply } from '../core/platform.js';
import { isFailure, UpstreamClient, type UpstreamAnswer, type UpstreamFailure } from './forward.js';
import { endToEndHeaders } from './hop-by-hop.js';
import type { Exchange, Recorder } from './recording.js';
import type { Shadow } from './shadow.js';
import { upstreamUrl, type UpstreamTargets } from './targets.js';

/** The pass-through's bounds (docs/parity.md#limits): a request or an answer body larger than this is not forwarded. */
export const UPSTREAM_BODY_LIMIT = 64 * 1024 * 1024;
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;

const CONTROL_PLANE = /^(\/s\/[^/]+)?\/__sandbox(\/|$)/;
const JOURNAL_TEXT_LIMIT = 4096;

export interface PassThroughOptions {
  targets: UpstreamTargets;
  routes: () => RouteTable;
  resolveWorld: WorldResolver;
  journal: Journal;
  logger: Logger;
  timeoutMs: number;
  ca?: string;
  recorder?: Recorder;
  /** `--shadow`: the sandbox's own answer to each forwarded exchange, compared with the real one. */
  shadow?: Shadow;
}

/**
 * Forwards the requests of the platforms that have an upstream (`--upstream mantun=https://...`) and
 * hands the real answer back as it came: status, headers and body bytes. It stands in front of the
 * dispatcher rather than among its interceptors because the dispatcher keeps a parsed body (and never a
 * multipart body's bytes), and pass-through must send the client's bytes unchanged. Every exchange is
 * journaled with `upstream: { url, durationMs, error? }` and, with `--record`, appended to the recording.
 * When the upstream cannot be reached the client gets the platform's own "system busy" answer, as when
 * the shared store is down, and the journal and the log say why.
 */
export class PassThrough {
  private readonly client: UpstreamClient;

  constructor(private readonly opts: PassThroughOptions) {
    this.client = new UpstreamClient({ timeoutMs: opts.timeoutMs, maxAnswerBytes: UPSTREAM_BODY_LIMIT, ca: opts.ca });
  }

  /** Serve the request if it is for a forwarded platform; otherwise `next` (the sandbox's own answer). */
  serve(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    let pathname = rawPath;
    try {
      pathname = decodeURI(rawPath);
    } catch {
      // Kept as sent: the route table will not know it, and the sandbox answers.
    }
    if (CONTROL_PLANE.test(pathname)) return next();
    let resolved;
    try {
      resolved = this.opts.resolveWorld(pathname, req.headers);
    } catch {
      return next();
    }
    void Promise.resolve(resolved).then(
      (r) => {
        if ('unknownSession' in r) return next();
        const route = this.opts.routes().find(req.method ?? 'GET', r.path);
        const base = route && this.opts.targets.get(route.platform.id);
        if (!route || !base) return next();
        // The path below the platform's base, as the client wrote it (percent-escapes kept).
        const cut = r.prefix.length + route.prefix.length;
        const below = decodeSafe(rawPath).startsWith(r.prefix + route.prefix) && rawPath.length >= cut ? rawPath.slice(cut) : r.path.slice(route.prefix.length);
        const search = q < 0 ? '' : url.slice(q);
        this.forward(req, res, { world: r.world, route, pathname, below: below || '/', search, target: upstreamUrl(base, below || '/', search) });
      },
      () => next(),
    );
  }

  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    at: {
      world: EndpointContext['world'];
      route: NonNullable<ReturnType<RouteTable['find']>>;
      pathname: string;
      below: string;
      search: string;
      target: string;
    },
  ): void {
    const started = performance.now();
    const arrived = new Date();
    const { world, route } = at;
    const { platform, endpoint } = route;
    const method = req.method ?? 'GET';
    const headers = endToEndHeaders(req.rawHeaders, true);
    readRaw(req, UPSTREAM_BODY_LIMIT, (body) => {
      // A client that went away mid-body: nothing of its request reaches the platform.
      if (body === 'aborted') return;
      const request: PlatformRequest = {
        method,
        path: at.below,
        query: queryParams(at.search.slice(1)),
        headers: req.headers,
        contentType: mediaType(req.headers['content-type']),
        rawBody: body === 'too_large' ? undefined : body,
        baseUrl: `http://${req.headers.host ?? 'localhost'}${at.pathname.slice(0, at.pathname.length - endpoint.path.length)}`,
      };
      const ctx: EndpointContext = { world, fixture: world.fixture(platform.id), index: world.index(platform.id), request, endpoint };
      // What the request says, for the journal and the platform's own error shape: parsed as the sandbox would, never answered by it.
      let params: unknown;
      let apiMethod: string | undefined;
      if (request.contentType !== 'multipart/form-data') {
        try {
          params = endpoint.parse(request, ctx);
          apiMethod = platform.methodOf?.(params, ctx.fixture);
        } catch {
          params = undefined;
        }
      }
      const busy = (kind: string): Reply => platform.errors.render(new ProtocolError(kind), { ...ctx, params });
      const finish = (answer: UpstreamAnswer | UpstreamFailure, upstreamMs: number) => {
        const failed = isFailure(answer);
        const reply: Reply | undefined = failed ? busy(answer.kind === 'too_large' && body === 'too_large' ? BODY_TOO_LARGE : SERVICE_UNAVAILABLE) : undefined;
        if (failed) send(res, reply!);
        else writeAnswer(res, answer);
        const ms = performance.now() - started;
        const upstream = { url: at.target, durationMs: round(upstreamMs), ...(failed ? { error: `${answer.kind}: ${answer.message}` } : {}) };
        const note = failed ? `upstream failed (${answer.kind}): ${answer.message}` : `upstream ${at.target} answered in ${round(upstreamMs)} ms`;
        const status = failed ? reply!.status : answer.status;
        const entry: Omit<JournalEntry, 'id'> = {
          time: world.clock.now(),
          session: world.id,
          matched: true,
          platform: platform.id,
          endpoint: endpoint.name,
          ...(apiMethod !== undefined ? { apiMethod } : {}),
          method,
          path: at.pathname,
          status,
          durationMs: round(ms),
          request: {
            query: maskSecrets(request.query) as Record<string, unknown>,
            body: maskSecrets(params ?? bodyText(body === 'too_large' ? undefined : body)),
            contentType: request.contentType || undefined,
            headers: journalHeaders(req.headers),
            ...(at.search ? { rawQuery: journalQuery(at.search.slice(1)) } : {}),
            bodySize: body === 'too_large' ? Number(req.headers['content-length']) || 0 : (body?.length ?? 0),
          },
          response: failed
            ? { contentType: reply!.contentType, body: reply!.data ?? reply!.body }
            : { contentType: headerOf(answer.headers, 'content-type'), body: bodyText(answer.body) },
          note,
          upstream,
        };
        const size = failed ? reply!.body.length : answer.body.length;
        const exchange: Exchange = {
          platform: platform.id,
          endpoint: endpoint.name,
          apiMethod,
          session: world.id,
          upstreamUrl: at.target,
          durationMs: round(upstreamMs),
          request: { method, path: at.below, query: at.search, headers, body: body === 'too_large' ? undefined : body },
          ...(failed ? { error: `${answer.kind}: ${answer.message}` } : { answer: { status: answer.status, headers: answer.headers, body: answer.body } }),
        };
        // With --shadow the entry waits for the comparison (the client already has its answer), so it is written once, whole.
        if (this.opts.shadow && !failed)
          void this.opts.shadow
            .compare(exchange, arrived)
            .then((differences) => this.journal({ ...entry, upstream: { ...upstream, parity: { differences } } }, size));
        else this.journal(entry, size);
        if (this.opts.logger.requestLines !== false)
          this.opts.logger.request({
            session: world.id,
            platform: platform.id,
            endpoint: endpoint.name,
            apiMethod,
            method,
            path: at.pathname,
            status,
            ms,
            note,
          });
        try {
          this.opts.recorder?.record(exchange, arrived);
        } catch (e) {
          this.opts.logger.warn(`recording not written: ${(e as Error).message}`);
        }
      };
      if (body === 'too_large')
        return finish({ kind: 'too_large', message: `the request body is larger than ${UPSTREAM_BODY_LIMIT} bytes, the pass-through limit` }, 0);
      const sent = performance.now();
      void this.client.send(at.target, method, headers, body).then((answer) => finish(answer, performance.now() - sent));
    });
  }

  private journal(entry: Omit<JournalEntry, 'id'>, size: number): void {
    try {
      const kept = this.opts.journal.record(entry, size);
      if (kept instanceof Promise) kept.catch((e: unknown) => this.opts.logger.warn(`journal entry not kept: ${(e as Error).message}`));
    } catch (e) {
      this.opts.logger.warn(`journal entry not kept: ${(e as Error).message}`);
    }
  }

  close(): void {
    this.client.close();
    void this.opts.shadow?.close();
  }
}

/** The upstream's answer on the client's connection: its status line, its headers in their order, its bytes. */
function writeAnswer(res: ServerResponse, answer: UpstreamAnswer): void {
  if (res.headersSent || res.destroyed) return;
  const raw: string[] = [];
  for (const [name, value] of answer.headers) raw.push(name, value);
  raw.push('Content-Length', String(answer.body.length));
  try {
    res.writeHead(answer.status, answer.statusMessage, raw);
  } catch {
    // A header Node will not write (none should come from a real HTTP server): the answer without the headers.
    res.writeHead(answer.status, { 'content-length': answer.body.length });
  }
  res.end(answer.body);
}

function readRaw(req: IncomingMessage, limit: number, done: (body: Buffer | undefined | 'too_large' | 'aborted') => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (v: Buffer | undefined | 'too_large' | 'aborted') => {
    if (!settled) {
      settled = true;
      done(v);
    }
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      return settle('too_large');
    }
    chunks.push(chunk);
  });
  req.on('end', () =>
    settle(
      size === 0 && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined ? undefined : Buffer.concat(chunks, size),
    ),
  );
  req.on('error', () => settle('aborted'));
  req.on('aborted', () => settle('aborted'));
}

const headerOf = (headers: [string, string][], name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];
const round = (ms: number) => Math.round(ms * 100) / 100;

function decodeSafe(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function bodyText(body: Buffer | undefined): string | undefined {
  if (!body || body.length === 0) return undefined;
  const text = body.subarray(0, JOURNAL_TEXT_LIMIT).toString('utf8');
  return body.length > JOURNAL_TEXT_LIMIT ? `${text}… (${body.length} bytes)` : text;
}
