import type { IncomingHttpHeaders } from 'node:http';
import { tableDefault } from '../config/option-table.js';
import { ControlError } from '../errors/control-error.js';
import type { WorldResolution } from '../http/exchange.js';
import { createRandom, type Random } from '../random/seeded-random.js';
import { then, type MaybePromise } from '../state/maybe-async.js';
import type { World } from '../world.js';

export const SESSION_HEADER = 'x-sandbox-session';
export const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/**
 * Ids no session can take, whatever the store: a shared store keeps the default world under the id
 * `default` (keys.ts), so a session of that name would be the default world itself there, while in
 * memory it would be a world of its own. Refused in both, so a suite behaves the same on either.
 */
export const RESERVED_SESSION_IDS: ReadonlySet<string> = new Set(['default']);
/** The bound keeps a runaway test suite from growing the sandbox without end: `--max-sessions`'s default, from its row. */
export const MAX_SESSIONS = tableDefault('maxSessions')!;

export interface Session {
  id: string;
  world: World;
  /** Sandbox time of the default world when the session was created (epoch ms). */
  createdAt: number;
}

/**
 * Which sessions exist: in this process (answered at once), or in a store several processes share (a
 * session opened through one process is reached through every other; answered with a promise).
 */
export interface SessionDirectory {
  /** Take an id for a new session, within the cap. */
  claim(id: string, createdAt: number, cap: number): MaybePromise<'created' | 'taken' | 'full'>;
  /** When the session was created, or undefined when there is no such session. */
  createdAt(id: string): MaybePromise<number | undefined>;
  list(): MaybePromise<{ id: string; createdAt: number }[]>;
  /** End a session: forget it and everything its world holds. */
  release(id: string, world: World | undefined): MaybePromise<boolean>;
}

/** Sessions of this process alone. */
export class LocalSessions implements SessionDirectory {
  private readonly created = new Map<string, number>();

  claim(id: string, createdAt: number, cap: number): 'created' | 'taken' | 'full' {
    if (this.created.has(id)) return 'taken';
    if (this.created.size >= cap) return 'full';
    this.created.set(id, createdAt);
    return 'created';
  }

  createdAt(id: string): number | undefined {
    return this.created.get(id);
  }

  list(): { id: string; createdAt: number }[] {
    return [...this.created].map(([id, createdAt]) => ({ id, createdAt }));
  }

  release(id: string): boolean {
    return this.created.delete(id);
  }
}

export interface SessionRegistryOptions {
  directory: SessionDirectory;
  /** The world of a session: a fresh one, or (in a shared store) the one another process opened. */
  worldOf: (id: string) => World;
  /** The sandbox seed: session ids made up here repeat with it. */
  seed: string;
  now: () => number;
  /** Sessions open at once (default MAX_SESSIONS). */
  max?: number;
  /** Told when a session opens or ends here (the dashboards' session lists follow it). */
  changed?: () => void;
}

/**
 * Isolated sessions: each is a World of its own (clock, store, platform data, scenario), reached by
 * the `/s/<id>/…` path prefix or the `X-Sandbox-Session` header. Requests without either go to the
 * default world. This process keeps the worlds of the sessions it has seen; the directory says which exist.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly ids: Random;

  constructor(private readonly opts: SessionRegistryOptions) {
    this.ids = createRandom(`${opts.seed}/session-ids`);
  }

  /** Sessions this process holds open. */
  get size(): number {
    return this.sessions.size;
  }

  async create(id?: string): Promise<Session> {
    const cap = this.opts.max ?? MAX_SESSIONS;
    // A number from untyped JavaScript would pass the pattern as text, and then name no session a path can reach.
    if (id !== undefined && (typeof id !== 'string' || !SESSION_ID.test(id))) {
      throw new ControlError(
        'invalid_request',
        `"id" must be 1 to 64 letters, digits, "_" or "-" (starting with a letter or digit), got ${JSON.stringify(id)}.`,
      );
    }
    if (id !== undefined && RESERVED_SESSION_IDS.has(id)) {
      throw new ControlError(
        'invalid_request',
        `"id" must not be ${JSON.stringify(id)}: that name is the sandbox's default world (the one requests reach without a session), not a session. Pick another id, or send none and one is made up.`,
      );
    }
    for (;;) {
      const sid = id ?? this.ids.hex(8);
      const createdAt = this.opts.now();
      const claimed = await this.opts.directory.claim(sid, createdAt, cap);
      if (claimed === 'full') {
        throw new ControlError(
          'too_many_sessions',
          `${cap} sessions are open, the cap (--max-sessions, maxSessions); end the ones you are done with (DELETE /__sandbox/sessions/<id>) or start the sandbox with a higher --max-sessions.`,
        );
      }
      if (claimed === 'taken') {
        if (id !== undefined)
          throw new ControlError('session_exists', `Session "${id}" already exists; DELETE /__sandbox/sessions/${id} first or pick another id.`);
        continue;
      }
      const session: Session = { id: sid, world: this.opts.worldOf(sid), createdAt };
      await session.world.open();
      this.sessions.set(sid, session);
      this.opts.changed?.();
      return session;
    }
  }

  /** A session this process has seen (the in-process API's view). */
  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** A session, wherever it was opened; undefined when there is none (at once when this process knows). */
  find(id: string): MaybePromise<Session | undefined> {
    // A shared store written by an older sandbox may still list one; it is the default world, never a session.
    if (RESERVED_SESSION_IDS.has(id)) return undefined;
    const known = this.sessions.get(id);
    if (known) return known;
    return then(this.opts.directory.createdAt(id), (createdAt) => {
      if (createdAt === undefined) return undefined;
      // Another request may have looked it up meanwhile: one world per session in this process.
      const seen = this.sessions.get(id);
      if (seen) return seen;
      const session: Session = { id, world: this.opts.worldOf(id), createdAt };
      this.sessions.set(id, session);
      return session;
    });
  }

  async delete(id: string): Promise<boolean> {
    // Releasing it in a shared store would delete the default world's keys.
    if (RESERVED_SESSION_IDS.has(id)) return false;
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    const released = await this.opts.directory.release(id, session?.world);
    if (released) this.opts.changed?.();
    return released;
  }

  /** Another process ended it: forget its world here. */
  forget(id: string): void {
    this.sessions.delete(id);
  }

  async clear(): Promise<number> {
    let ended = 0;
    for (const { id } of await this.opts.directory.list()) if (await this.delete(id)) ended++;
    return ended;
  }

  /** Every open session, wherever it was opened. */
  async list(): Promise<Session[]> {
    const all = await this.opts.directory.list();
    const out: Session[] = [];
    for (const { id } of all) {
      const session = await this.find(id);
      if (session) out.push(session);
    }
    return out;
  }

  /** The sessions this process holds a world for (the in-process API and watch-mode reloads). */
  known(): Session[] {
    return [...this.sessions.values()];
  }

  /**
   * The world a request names: a session by the `/s/<id>` path prefix (taken off the path) or the
   * session header; `{ unknownSession }` when it names one that does not exist; undefined when it
   * names none (the default world). Platform requests and control-plane requests alike ask here.
   * Synchronous unless a shared store must be asked: a request naming no session never waits.
   */
  resolve(path: string, headers: IncomingHttpHeaders): MaybePromise<WorldResolution | { unknownSession: string } | undefined> {
    let id: string | undefined;
    let rest = path;
    let prefix = '';
    if (path.startsWith('/s/')) {
      const end = path.indexOf('/', 3);
      id = end < 0 ? path.slice(3) : path.slice(3, end);
      rest = end < 0 ? '/' : path.slice(end);
      prefix = `/s/${id}`;
    } else {
      const header = headers[SESSION_HEADER];
      if (typeof header === 'string' && header !== '') id = header;
    }
    if (id === undefined) return undefined;
    const named = id;
    return then(this.find(named), (session) => (session ? { world: session.world, path: rest, prefix } : { unknownSession: named }));
  }
}
