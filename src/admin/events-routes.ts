import type { Server } from 'node:net';
import type { Request, Response, Router } from 'express';
import type { Journal, JournalEntry } from '../core/journal.js';
import type { World } from '../core/world.js';
import { clockView } from './clock-routes.js';
import { adminError } from './errors.js';

/** How often open streams are checked (server closing, heartbeat due). */
const TICK_MS = 250;
/** A comment line this often keeps proxies and browsers from timing the stream out. */
const HEARTBEAT_TICKS = 60;
/** Token or clock changes are announced at most this often: a load test changes the store thousands of times a second. */
const CHANGE_THROTTLE_MS = 250;

interface Client {
  res: Response;
  world: World;
  server?: Server;
}

/**
 * GET /events — a server-sent event stream for the dashboard, for the world the request addresses:
 * `request` (id = journal id, data = the journal entry) for every exchange of that world, `changed`
 * (tokens or clock moved; data = token count and clock) at most every 250 ms, and `hello` on connect.
 * A reconnecting browser sends Last-Event-ID (or a page passes ?since=<id>) and gets the entries it missed.
 */
export function mountEventsRoutes(router: Router, journal: Journal, worldOf: (req: Request) => World): void {
  const hub = new EventHub(journal);
  router.get('/events', (req, res) => {
    const header = req.headers['last-event-id'];
    const raw = typeof header === 'string' && header !== '' ? header : req.query.since;
    const since = raw === undefined ? undefined : Number(raw);
    if (since !== undefined && (!Number.isInteger(since) || since < 0)) {
      return adminError(res, 400, 'invalid_request', `"since" (or Last-Event-ID) must be a journal id (a whole number), got ${JSON.stringify(raw)}.`);
    }
    hub.open(req, res, worldOf(req), since);
  });
}

class EventHub {
  private readonly clients = new Set<Client>();
  private readonly watched = new WeakSet<World>();
  private readonly pending = new WeakSet<World>();
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private ticks = 0;

  constructor(private readonly journal: Journal) {}

  open(req: Request, res: Response, world: World, since: number | undefined): void {
    const server = (req.socket as unknown as { server?: Server }).server;
    // A browser reconnects over its kept-alive socket; while the sandbox closes, that must not open a new stream.
    if (server && !server.listening) {
      res.setHeader('connection', 'close');
      return adminError(res, 503, 'closing', 'The sandbox is shutting down.');
    }
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('x-accel-buffering', 'no');
    // The stream is the connection's only response: when it ends the socket goes too, so close() need not wait for keep-alive.
    res.setHeader('connection', 'close');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    const client: Client = { res, world, server };
    const missed = since === undefined ? [] : this.journal.list({ session: world.id }).filter((e) => e.id > since).reverse();
    res.write(`retry: 2000\n\n`);
    send(res, 'hello', { session: world.id, clock: clockView(world), tokens: world.store.size });
    for (const entry of missed) sendEntry(res, entry);
    this.clients.add(client);
    this.watch(world);
    if (!this.unsubscribe) this.unsubscribe = this.journal.subscribe((entry) => this.onEntry(entry));
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref();
    }
    const drop = () => this.drop(client);
    req.on('close', drop);
    res.on('error', drop);
  }

  private onEntry(entry: JournalEntry): void {
    for (const c of this.clients) if (c.world.id === entry.session) sendEntry(c.res, entry);
  }

  /** One store listener per world for its whole life; it does nothing while no stream watches the world. */
  private watch(world: World): void {
    if (this.watched.has(world)) return;
    this.watched.add(world);
    world.store.onChange(() => {
      if (this.pending.has(world) || !this.hasClients(world)) return;
      this.pending.add(world);
      setTimeout(() => {
        this.pending.delete(world);
        const data = { tokens: world.store.size, clock: clockView(world) };
        for (const c of this.clients) if (c.world === world) send(c.res, 'changed', data);
      }, CHANGE_THROTTLE_MS).unref();
    });
  }

  private hasClients(world: World): boolean {
    for (const c of this.clients) if (c.world === world) return true;
    return false;
  }

  /** A stream never ends by itself, and server.close() waits for every open response: end ours once the server stops listening. */
  private tick(): void {
    this.ticks++;
    const beat = this.ticks % HEARTBEAT_TICKS === 0;
    for (const c of this.clients) {
      if (c.server && !c.server.listening) {
        c.res.end();
        this.drop(c);
      } else if (beat) c.res.write(': ping\n\n');
    }
  }

  private drop(client: Client): void {
    this.clients.delete(client);
    if (this.clients.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

function send(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function sendEntry(res: Response, entry: JournalEntry): void {
  res.write(`id: ${entry.id}\nevent: request\ndata: ${JSON.stringify(entry)}\n\n`);
}
