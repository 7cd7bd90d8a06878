import type { SessionDirectory } from '../../sessions/registry.js';
import type { RedisConnection } from './connection.js';
import { unlinkMatching } from './tokens.js';

/** The sessions of a sandbox shared by several processes: one hash, id → creation time. */
export class RedisSessions implements SessionDirectory {
  constructor(private readonly conn: RedisConnection) {}

  async claim(id: string, createdAt: number, cap: number): Promise<'created' | 'taken' | 'full'> {
    const result = await this.conn.scripts.createSession([this.conn.keys.sessions], [id, createdAt, cap]);
    return result === 1 ? 'created' : result === 0 ? 'taken' : 'full';
  }

  async createdAt(id: string): Promise<number | undefined> {
    const at = await this.conn.run(() => this.conn.redis.hget(this.conn.keys.sessions, id));
    return at === null ? undefined : Number(at);
  }

  async list(): Promise<{ id: string; createdAt: number }[]> {
    const all = await this.conn.run(() => this.conn.redis.hgetall(this.conn.keys.sessions));
    return Object.entries(all)
      .map(([id, at]) => ({ id, createdAt: Number(at) }))
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /** Forget the session, delete what its world holds (SCAN, never KEYS), and tell the other processes. */
  async release(id: string): Promise<boolean> {
    const removed = await this.conn.run(() => this.conn.redis.hdel(this.conn.keys.sessions, id));
    await unlinkMatching(this.conn, [this.conn.keys.world(id).matching()]);
    await this.conn.run(() => this.conn.redis.publish(this.conn.keys.events, JSON.stringify({ origin: this.conn.origin, sessionEnded: id })));
    return removed === 1;
  }
}
