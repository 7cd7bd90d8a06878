import type { StateBackend } from '../state-backend.js';
import type { RedisConnection } from './connection.js';
import type { WorldKeys } from './keys.js';

const MAX_ATTEMPTS = 50;

/**
 * A world's platform data in Redis: one JSON text per platform in a hash. A change is applied to a
 * copy of what was read and written only if the text is still the one read (else read and apply again),
 * so two processes spending one SMS code cannot both succeed.
 */
export class RedisState implements StateBackend {
  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: WorldKeys,
    private readonly initial: () => Record<string, unknown>,
  ) {}

  async read(platform: string): Promise<unknown> {
    const text = await this.conn.run(() => this.conn.redis.hget(this.keys.state, platform));
    return text === null ? structuredClone(this.initial()[platform]) : JSON.parse(text);
  }

  async update<T>(platform: string, change: (state: unknown) => T): Promise<T> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const text = await this.conn.run(() => this.conn.redis.hget(this.keys.state, platform));
      const state = text === null ? structuredClone(this.initial()[platform]) : JSON.parse(text);
      const result = change(state);
      if ((await this.conn.scripts.setFieldIf([this.keys.state], [platform, text ?? '', JSON.stringify(state)])) === 1) return result;
    }
    throw new Error(`a platform data change lost the race ${MAX_ATTEMPTS} times in a row to other processes; try again`);
  }

  async load(state: Record<string, unknown>): Promise<void> {
    const fields = Object.entries(state).flatMap(([platform, value]) => [platform, JSON.stringify(value)]);
    if (fields.length) await this.conn.run(() => this.conn.redis.hset(this.keys.state, ...fields));
  }

  async all(): Promise<Record<string, unknown>> {
    const stored = await this.conn.run(() => this.conn.redis.hgetall(this.keys.state));
    const out = structuredClone(this.initial());
    for (const [platform, text] of Object.entries(stored)) out[platform] = JSON.parse(text);
    return out;
  }

  async replace(state: Record<string, unknown>): Promise<void> {
    const multi = this.conn.redis.multi().del(this.keys.state);
    const fields = Object.entries(state).flatMap(([platform, value]) => [platform, JSON.stringify(value)]);
    if (fields.length) multi.hset(this.keys.state, ...fields);
    await this.conn.run(() => multi.exec());
  }
}
