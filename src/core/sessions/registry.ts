import type { IncomingHttpHeaders } from 'node:http';
import { ControlError } from '../control-error.js';
import type { WorldResolution } from '../http/dispatcher.js';
import type { AnyPlatform } from '../platform.js';
import { createRandom, type Random } from '../random.js';
import { ReplayableRandom } from '../replayable-random.js';
import { World } from '../world.js';

export const SESSION_HEADER = 'x-sandbox-session';
export const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Sessions live in memory; the bound keeps a runaway test suite from growing it without end (the default of `--max-sessions`). */
export const MAX_SESSIONS = 1000;

export interface Session {
  id: string;
  world: World;
  /** Sandbox time of the default world when the session was created (epoch ms). */
  createdAt: number;
}

export interface SessionRegistryOptions {
  platforms: readonly AnyPlatform[];
  /** The fixtures every session starts from (the default world's). */
  fixtures: () => Record<string, unknown>;
  /** The sandbox seed: a session's generator is seeded from it and the session id, so runs repeat. */
  seed: string;
  now: () => number;
  /** Sessions open at once (default MAX_SESSIONS). */
  max?: number;
}

/**
 * Isolated sessions: each is a World of its own (clock, store, platform data, scenario), reached by
 * the `/s/<id>/…` path prefix or the `X-Sandbox-Session` header. Requests without either go to the
 * default world.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly ids: Random;

  constructor(private readonly opts: SessionRegistryOptions) {
    this.ids = createRandom(`${opts.seed}/session-ids`);
  }

  get size(): number {
    return this.sessions.size;
  }

  create(id?: string): Session {
    if (id !== undefined) {
      if (!SESSION_ID.test(id)) throw new ControlError('invalid_request', `"id" must be 1 to 64 letters, digits, "_" or "-" (starting with a letter or digit), got ${JSON.stringify(id)}.`);
      if (this.sessions.has(id)) throw new ControlError('session_exists', `Session "${id}" already exists; DELETE /__sandbox/sessions/${id} first or pick another id.`);
    }
    const max = this.opts.max ?? MAX_SESSIONS;
    if (this.sessions.size >= max) {
      throw new ControlError(
        'too_many_sessions',
        `${max} sessions are open, the cap (--max-sessions, maxSessions); end the ones you are done with (DELETE /__sandbox/sessions/<id>) or start the sandbox with a higher --max-sessions.`,
      );
    }
    let sid = id;
    while (sid === undefined || this.sessions.has(sid)) sid = this.ids.hex(8);
    const world = new World({ id: sid, platforms: this.opts.platforms, fixtures: this.opts.fixtures(), random: new ReplayableRandom(`${this.opts.seed}/${sid}`) });
    const session: Session = { id: sid, world, createdAt: this.opts.now() };
    this.sessions.set(sid, session);
    return session;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  delete(id: string): boolean {
    return this.sessions.delete(id);
  }

  clear(): number {
    const n = this.sessions.size;
    this.sessions.clear();
    return n;
  }

  list(): Session[] {
    return [...this.sessions.values()];
  }

  /**
   * The world a request names: a session by the `/s/<id>` path prefix (taken off the path) or the
   * session header; `{ unknownSession }` when it names one that does not exist; undefined when it
   * names none (the default world). Platform requests and control-plane requests alike ask here.
   */
  resolve(path: string, headers: IncomingHttpHeaders): WorldResolution | { unknownSession: string } | undefined {
    if (path.startsWith('/s/')) {
      const end = path.indexOf('/', 3);
      const id = end < 0 ? path.slice(3) : path.slice(3, end);
      const session = this.sessions.get(id);
      if (!session) return { unknownSession: id };
      return { world: session.world, path: end < 0 ? '/' : path.slice(end), prefix: `/s/${id}` };
    }
    const header = headers[SESSION_HEADER];
    if (typeof header === 'string' && header !== '') {
      const session = this.sessions.get(header);
      if (!session) return { unknownSession: header };
      return { world: session.world, path, prefix: '' };
    }
    return undefined;
  }
}
