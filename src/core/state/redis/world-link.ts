import type { ClockState } from '../../time/clock.js';
import type { SharedLayer } from '../../scenarios/runtime.js';
import type { World, WorldChange, WorldLink } from '../../world.js';
import type { RedisConnection } from './connection.js';
import type { WorldKeys } from './keys.js';
import { unlinkMatching } from './tokens.js';

/** A burst of changes (a load test) is announced to the other processes this often at most. */
const NOTIFY_THROTTLE_MS = 100;

/**
 * What makes one world the same in every process: its clock and its active scenarios, kept in a
 * hash with a version that grows with every change, and its fault counters, counted in Redis. Each
 * request reads the version first (one small command); a process that sees a new one reads the
 * settings again, so a clock moved or a scenario switched anywhere applies everywhere at once.
 */
export class RedisWorldLink implements WorldLink {
  private version: string | null = null;
  private notifyPending = new Set<WorldChange['type']>();
  private notifyTimer?: NodeJS.Timeout;

  constructor(
    private readonly conn: RedisConnection,
    private readonly keys: WorldKeys,
    private readonly worldId: string,
    /** The default world always exists; a session's world exists while its settings do. */
    private readonly permanent: boolean,
  ) {}

  async sync(world: World): Promise<boolean> {
    const version = await this.conn.run(() => this.conn.redis.hget(this.keys.meta, 'v'));
    if (version === null) {
      if (!this.permanent) return false;
      // The default world's settings were never written, or were deleted: host time, nothing active.
      if (this.version !== null) {
        this.version = null;
        world.clock.reset();
        world.scenarios.adopt([]);
      }
      return true;
    }
    if (version === this.version) return true;
    const [clock, layers] = await this.conn.run(() => this.conn.redis.hmget(this.keys.meta, 'clock', 'layers'));
    this.version = version;
    if (clock) world.clock.adopt(JSON.parse(clock) as ClockState);
    world.scenarios.adopt(layers ? (JSON.parse(layers) as SharedLayer[]) : []);
    return true;
  }

  /** Write settings; this process reads them back on its next sync like every other one (no version is assumed). */
  async publish(change: { clock?: ClockState; layers?: SharedLayer[] }): Promise<void> {
    const multi = this.conn.redis.multi();
    if (change.clock) multi.hset(this.keys.meta, 'clock', JSON.stringify(change.clock));
    if (change.layers) {
      multi.hset(this.keys.meta, 'layers', JSON.stringify(change.layers));
      // Counters of rules no longer active go with them.
      multi.del(this.keys.faults);
    }
    multi.hincrby(this.keys.meta, 'v', 1);
    await this.conn.run(() => multi.exec());
    this.notify(change.layers ? 'scenario' : 'clock');
  }

  /** Create the world's settings if they are not there yet (a new session; the first process of a deployment). */
  async create(clock: ClockState): Promise<boolean> {
    const created = await this.conn.run(() => this.conn.redis.hsetnx(this.keys.meta, 'v', '1'));
    if (created === 1) await this.conn.run(() => this.conn.redis.hset(this.keys.meta, 'clock', JSON.stringify(clock)));
    return created === 1;
  }

  countCall(rule: string): Promise<number> {
    return this.conn.run(() => this.conn.redis.hincrby(this.keys.faults, `${rule}:calls`, 1));
  }

  async fire(rule: string, times: number | undefined): Promise<boolean> {
    if (times === undefined) {
      await this.conn.run(() => this.conn.redis.hincrby(this.keys.faults, `${rule}:fired`, 1));
      return true;
    }
    return (await this.conn.scripts.fireWithin([this.keys.faults], [`${rule}:fired`, times])) === 1;
  }

  async counters(): Promise<Record<string, number>> {
    const raw = await this.conn.run(() => this.conn.redis.hgetall(this.keys.faults));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  /** Other processes' dashboards hear of a change (grouped: a load test changes a world thousands of times a second). */
  notify(type: WorldChange['type']): void {
    this.notifyPending.add(type);
    this.notifyTimer ??= setTimeout(() => {
      this.notifyTimer = undefined;
      const types = [...this.notifyPending];
      this.notifyPending.clear();
      const message = JSON.stringify({ origin: this.conn.origin, world: this.worldId, changed: types });
      this.conn.run(() => this.conn.redis.publish(this.conn.keys.events, message)).catch(() => undefined);
    }, NOTIFY_THROTTLE_MS);
    this.notifyTimer.unref();
  }

  /** Everything of this world, by SCAN: its session ended, or it was reset. */
  async destroy(): Promise<void> {
    await unlinkMatching(this.conn, [this.keys.matching()]);
  }
}
