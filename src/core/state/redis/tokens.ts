import type { TokenBackend, TokenQuery, TokenTx } from '../token-backend.js';
import { forgetAt, type TokenKind, type TokenRecord } from '../token-record.js';
import type { RedisConnection } from './connection.js';
import { WorldKeys } from './keys.js';
import { PRUNE_TOKENS } from './scripts.js';

/** A transaction that read something another process changed before it committed starts again; this often at most. */
const MAX_ATTEMPTS = 50;
/** A record is forgotten this long after it ended (as in memory: a late caller hears "expired", not "unknown"). */
const RETENTION_MS = 24 * 3600 * 1000;
/** Records forgotten per script call, and calls per prune: a prune never holds Redis or a request long. */
const PRUNE_BATCH = 1000;
const PRUNE_CALLS = 10;
/** Pruning costs a round trip: at most once a second of host time, unless sandbox time jumped since. */
const PRUNE_EVERY_MS = 1000;
const PRUNE_ON_JUMP_MS = 60_000;
const PAGE = 500;

/** Thrown inside a transaction's function when it reads what has not been fetched yet: fetch it, then run again. */
class Missing {
  constructor(
    readonly records: readonly string[],
    readonly families: readonly string[],
  ) {}
}

interface Write {
  rec: TokenRecord;
  fresh: boolean;
}

/**
 * The codes and tokens of one world in Redis, shared by every process. An operation runs as a
 * function of what it reads (fetched on demand, one round trip per batch); its writes then land in
 * one Lua script only if every record it read is still exactly as read. Otherwise it reads again and
 * runs again: of two processes spending one refresh token, exactly one commits.
 */
export class RedisTokens implements TokenBackend {
  private readonly keys: WorldKeys;
  private readonly listeners: (() => void)[] = [];
  private lastPrune = { host: -Infinity, now: -Infinity };

  constructor(
    private readonly conn: RedisConnection,
    worldId: string,
  ) {
    this.keys = conn.keys.world(worldId);
  }

  async transact<T>(op: (tx: TokenTx) => T): Promise<T> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const read = new Map<string, string | null>();
      const families = new Map<string, string[]>();
      for (;;) {
        const writes = new Map<string, Write>();
        let result: T;
        try {
          result = op(this.tx(read, families, writes));
        } catch (e) {
          if (!(e instanceof Missing)) throw e;
          await this.fetch(e, read, families);
          continue;
        }
        if (writes.size === 0) return result;
        if (await this.commit(read, writes)) {
          this.changed();
          return result;
        }
        break;
      }
    }
    throw new Error(`a token operation lost the race ${MAX_ATTEMPTS} times in a row to other processes; try again`);
  }

  private tx(read: Map<string, string | null>, families: Map<string, string[]>, writes: Map<string, Write>): TokenTx {
    const current = (member: string): TokenRecord | undefined => {
      const written = writes.get(member);
      if (written) return written.rec;
      if (!read.has(member)) throw new Missing([member], []);
      const text = read.get(member);
      return text ? (JSON.parse(text) as TokenRecord) : undefined;
    };
    return {
      get: (platform, kind, value) => current(WorldKeys.member(platform, kind, value)),
      family: (family) => {
        const members = families.get(family);
        if (!members) throw new Missing([], [family]);
        const unread = members.filter((m) => !read.has(m) && !writes.has(m));
        if (unread.length) throw new Missing(unread, []);
        const listed = members.map(current).filter((r): r is TokenRecord => r !== undefined);
        // Members this transaction inserted join the family's set only at commit; they belong to it already (as in memory).
        for (const [member, w] of writes) if (w.fresh && w.rec.family === family && !members.includes(member)) listed.push(w.rec);
        return listed;
      },
      // A duplicate value is refused at commit (a new record expects its key to be absent).
      taken: () => false,
      insert: (rec) => {
        writes.set(WorldKeys.member(rec.platform, rec.kind, rec.value), { rec, fresh: true });
      },
      update: (rec, patch) => {
        const member = WorldKeys.member(rec.platform, rec.kind, rec.value);
        const before = current(member) ?? rec;
        const after = { ...before, ...patch };
        writes.set(member, { rec: after, fresh: writes.get(member)?.fresh ?? false });
        return after;
      },
    };
  }

  private async fetch(need: Missing, read: Map<string, string | null>, families: Map<string, string[]>): Promise<void> {
    const { redis } = this.conn;
    const [texts, members] = await this.conn.run(() =>
      Promise.all([
        need.records.length ? redis.mget(need.records.map((m) => this.keys.record(m))) : Promise.resolve([]),
        Promise.all(need.families.map((f) => redis.smembers(this.keys.family(f)))),
      ]),
    );
    need.records.forEach((m, i) => read.set(m, texts[i] ?? null));
    need.families.forEach((f, i) => families.set(f, members[i]));
  }

  /** One Lua call: every record read still as it was (new ones still absent), then every write. */
  private async commit(read: Map<string, string | null>, writes: Map<string, Write>): Promise<boolean> {
    const keys = [this.keys.order, this.keys.seq, this.keys.ends];
    const index = new Map<string, number>();
    const at = (key: string): number => {
      let i = index.get(key);
      if (i === undefined) index.set(key, (i = keys.push(key)));
      return i;
    };
    const args: (string | number)[] = [];
    const checks: (string | number)[] = [];
    for (const [member, text] of read) checks.push(at(this.keys.record(member)), text ?? '');
    for (const [member, w] of writes) if (w.fresh && !read.has(member)) checks.push(at(this.keys.record(member)), '');
    args.push(checks.length / 2, ...checks, writes.size);
    for (const [member, { rec, fresh }] of writes)
      args.push(at(this.keys.record(member)), JSON.stringify(rec), member, fresh ? at(this.keys.family(rec.family)) : 0, fresh ? 1 : 0, endOf(rec));
    return (await this.conn.scripts.commit(keys, args)) === 1;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  async find(platform: string, kind: TokenKind, value: string): Promise<TokenRecord | undefined> {
    const text = await this.conn.run(() => this.conn.redis.get(this.keys.record(WorldKeys.member(platform, kind, value))));
    return text ? (JSON.parse(text) as TokenRecord) : undefined;
  }

  /** Pages through the issue order; records Redis has already forgotten (old codes) are skipped. */
  async list(q: TokenQuery = {}): Promise<TokenRecord[]> {
    const { redis } = this.conn;
    const out: TokenRecord[] = [];
    const limit = q.limit ?? Infinity;
    for (let start = 0; out.length < limit; start += PAGE) {
      const members = await this.conn.run(() =>
        q.order === 'newest'
          ? redis.zrevrange(this.keys.order, start, start + PAGE - 1)
          : redis.zrange(this.keys.order, String(start), String(start + PAGE - 1)),
      );
      if (members.length === 0) break;
      const texts = await this.conn.run(() => redis.mget(members.map((m) => this.keys.record(m))));
      for (const text of texts) {
        if (!text || out.length >= limit) continue;
        const rec = JSON.parse(text) as TokenRecord;
        if (q.platform !== undefined && rec.platform !== q.platform) continue;
        if (q.kind !== undefined && rec.kind !== q.kind) continue;
        if (q.where && !q.where(rec)) continue;
        out.push(rec);
      }
    }
    return out;
  }

  count(): Promise<number> {
    return this.conn.run(() => this.conn.redis.zcard(this.keys.order));
  }

  async seed(records: readonly TokenRecord[]): Promise<void> {
    if (records.length === 0) return;
    const multi = this.conn.redis.multi();
    for (const rec of records) {
      const member = WorldKeys.member(rec.platform, rec.kind, rec.value);
      multi.set(this.keys.record(member), JSON.stringify(rec));
      multi.zadd(this.keys.order, 'NX', Date.now(), member);
      multi.sadd(this.keys.family(rec.family), member);
      const end = endOf(rec);
      if (end === '') multi.zrem(this.keys.ends, member);
      else multi.zadd(this.keys.ends, end, member);
    }
    await this.conn.run(() => multi.exec());
    this.changed();
  }

  /**
   * Forget records that ended (see forgetAt) more than a day of sandbox time ago, codes and tokens alike, as
   * the memory store does: a batch at a time, in one script each, so a record is never half forgotten.
   */
  prune(now: number): Promise<void> | undefined {
    const host = Date.now();
    if (host - this.lastPrune.host < PRUNE_EVERY_MS && Math.abs(now - this.lastPrune.now) < PRUNE_ON_JUMP_MS) return undefined;
    this.lastPrune = { host, now };
    return this.pruneNow(now);
  }

  private async pruneNow(now: number): Promise<void> {
    const latest = now - RETENTION_MS;
    let removed = 0;
    for (let call = 0; call < PRUNE_CALLS; call++) {
      const n = Number(
        await this.conn.run(() =>
          this.conn.redis.eval(PRUNE_TOKENS, 2, this.keys.ends, this.keys.order, latest, PRUNE_BATCH, this.keys.record(''), this.keys.family('')),
        ),
      );
      removed += n;
      if (n < PRUNE_BATCH) break;
    }
    if (removed) this.changed();
  }

  /** Every record of this world, by SCAN (never KEYS, which would block a Redis others use). */
  async clear(): Promise<void> {
    await unlinkMatching(this.conn, [this.keys.matching('t:'), this.keys.matching('f:')]);
    await this.conn.run(() => this.conn.redis.unlink(this.keys.order, this.keys.seq, this.keys.ends));
    this.changed();
  }
}

/** A record's score in the `ends` set, or '' when it may still be accepted (it then has no entry). */
function endOf(rec: TokenRecord): number | '' {
  const end = forgetAt(rec, 0);
  return end === Infinity ? '' : end;
}

/** Delete every key matching the patterns, a batch at a time. */
export async function unlinkMatching(conn: RedisConnection, patterns: readonly string[]): Promise<number> {
  let removed = 0;
  for (const match of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await conn.run(() => conn.redis.scan(cursor, 'MATCH', match, 'COUNT', '500'));
      cursor = next;
      if (keys.length) removed += await conn.run(() => conn.redis.unlink(...keys));
    } while (cursor !== '0');
  }
  return removed;
}
