import type { Request, Response, Router } from 'express';
import { clockView } from '../control/views.js';
import { ControlError } from '../core/errors/control-error.js';
import type { JournalEntry } from '../core/journal.js';
import type { World } from '../core/world.js';
import type { MountDeps } from './control-route.js';

/** A comment line this often keeps proxies and browsers from timing the stream out. */
const HEARTBEAT_MS = 15_000;
/** Changes are announced at most this often: a load test changes a world thousands of times a second. */
const CHANGE_THROTTLE_MS = 250;
/** A client that reads nothing is dropped once this much waits for it, so a paused reader cannot grow memory. */
export const MAX_STREAM_BUFFER = 1024 * 1024;

interface Client {
  res: Response;
  world: World;
  stopWatching: () => void;
}

/**
 * GET /events — a server-sent event stream for the dashboard, for the world the request addresses:
 * `request` (id = journal id, data = the journal entry) for every exchange of that world, `changed`
 * (tokens, clock, scenarios or fault counters moved; data = token count and clock) at most every
 * 250 ms, and `hello` on connect. A reconnecting browser sends Last-Event-ID (or a page passes
 * ?since=<id>) and gets the entries it missed. Every stream ends when the sandbox closes.
 */
export function mountEvents(router: Router, path: string, deps: MountDeps): void {
  const hub = new EventHub(deps);
  router.get(path, (req, res) => {
    const header = req.headers['last-event-id'];
    const raw = typeof header === 'string' && header !== '' ? header : req.query.since;
    const since = raw === undefined ? undefined : Number(raw);
    if (since !== undefined && (!Number.isInteger(since) || since < 0)) {
      throw new ControlError('invalid_request', `"since" (or Last-Event-ID) must be a journal id (a whole number), got ${JSON.stringify(raw)}.`);
    }
    hub.open(req, res, deps.worldOf(req), since);
  });
}

class EventHub {
  private readonly clients = new Set<Client>();
  private unsubscribe?: () => void;
  private heartbeat?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly deps: MountDeps) {
    deps.onClose(() => {
      this.closed = true;
      for (const c of this.clients) {
        c.res.end();
        this.drop(c);
      }
    });
  }

  open(req: Request, res: Response, world: World, since: number | undefined): void {
    // A browser reconnects over its kept-alive socket; while the sandbox closes, that must not open a new stream.
    if (this.closed) {
      res.setHeader('connection', 'close');
      throw new ControlError('closing', 'The sandbox is shutting down.');
    }
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('x-accel-buffering', 'no');
    // The stream is the connection's only response: when it ends the socket goes too, so close() need not wait for keep-alive.
    res.setHeader('connection', 'close');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    const client: Client = { res, world, stopWatching: this.watch(world, res) };
    const missed =
      since === undefined
        ? []
        : this.deps.journal
            .list({ session: world.id })
            .filter((e) => e.id > since)
            .reverse();
    res.write(`retry: 2000\n\n`);
    void world.tokens.count().then((tokens) => {
      this.write(client, event('hello', { session: world.id, clock: clockView(world), tokens }));
      for (const entry of missed) this.write(client, entryEvent(entry));
    });
    this.clients.add(client);
    this.unsubscribe ??= this.deps.journal.subscribe((entry) => {
      for (const c of this.clients) if (c.world.id === entry.session) this.write(c, entryEvent(entry));
    });
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => {
        for (const c of this.clients) this.write(c, ': ping\n\n');
      }, HEARTBEAT_MS);
      this.heartbeat.unref();
    }
    const drop = () => this.drop(client);
    req.on('close', drop);
    res.on('error', drop);
  }

  /** Every change of the world is announced, at most every 250 ms per stream. */
  private watch(world: World, res: Response): () => void {
    let pending = false;
    return world.on(() => {
      if (pending) return;
      pending = true;
      setTimeout(() => {
        pending = false;
        const client = [...this.clients].find((c) => c.res === res);
        if (client) void world.tokens.count().then((tokens) => this.write(client, event('changed', { tokens, clock: clockView(world) })));
      }, CHANGE_THROTTLE_MS).unref();
    });
  }

  /** Node's backpressure contract: what a client does not read waits in memory, so a stalled one is cut off. */
  private write(client: Client, text: string): void {
    if (client.res.writableEnded || client.res.destroyed) return;
    if (client.res.writableLength > MAX_STREAM_BUFFER) {
      client.res.destroy();
      this.drop(client);
      return;
    }
    client.res.write(text);
  }

  private drop(client: Client): void {
    if (!this.clients.delete(client)) return;
    client.stopWatching();
    if (this.clients.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}

const event = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

const entryEvent = (entry: JournalEntry): string => `id: ${entry.id}\nevent: request\ndata: ${JSON.stringify(entry)}\n\n`;
