import type { StateBackend } from '../state-backend.js';
import type { TokenBackend } from '../token-backend.js';
import type { WorldLink } from '../../world.js';
import { connectRedis, type RedisConnection } from './connection.js';
import { listen, type SharedEventHandlers } from './events.js';
import { SharedJournal } from './journal.js';
import { RedisSessions } from './sessions.js';
import { RedisState } from './state.js';
import { RedisTokens } from './tokens.js';
import { RedisWorldLink } from './world-link.js';

/** What a sandbox builds its worlds, sessions and journal from when several processes share one Redis. */
export interface SharedStore {
  /** This process, as the others know it (seeds of generated values are mixed with it, so processes never draw alike). */
  origin: string;
  backendFor(worldId: string, permanent: boolean): { tokens: TokenBackend; state: (initial: () => Record<string, unknown>) => StateBackend; link: WorldLink };
  sessions: RedisSessions;
  journal(cap: number): SharedJournal;
  listen(handlers: SharedEventHandlers): Promise<void>;
  /** Serve a platform request with one budget for all its store commands (connection.ts). */
  withBudget<T>(serve: () => T): T;
  withoutBudget<T>(f: () => T): T;
  /** Why the store cannot serve right now, or undefined when it can (what readiness answers). */
  unreachable(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Connect to the Redis at `url` (or fail at once, saying why) and hand out the shared pieces. */
export async function openSharedStore(url: string, prefix: string): Promise<SharedStore> {
  const conn: RedisConnection = await connectRedis(url, prefix);
  return {
    origin: conn.origin,
    backendFor(worldId, permanent) {
      const keys = conn.keys.world(worldId);
      return {
        tokens: new RedisTokens(conn, worldId),
        state: (initial) => new RedisState(conn, keys, initial),
        link: new RedisWorldLink(conn, keys, worldId, permanent),
      };
    },
    sessions: new RedisSessions(conn),
    journal: (cap) => new SharedJournal(conn, cap),
    listen: (handlers) => listen(conn, handlers),
    unreachable: () => conn.unreachable(),
    withBudget: (serve) => conn.withBudget(serve),
    withoutBudget: (f) => conn.withoutBudget(f),
    close: () => conn.close(),
  };
}
