import { Journal, maskEntry, type JournalEntry, type JournalFilter } from '../../journal.js';
import type { RedisConnection } from './connection.js';

/**
 * The request journal of a sandbox shared by several processes: one bounded list in Redis (newest
 * first, ids counted in Redis), and this process's own copy, fed by every process's entries as they
 * are published, for the event stream and the in-process API.
 */
export class SharedJournal extends Journal {
  constructor(
    private readonly conn: RedisConnection,
    private readonly cap: number,
  ) {
    super(cap);
  }

  /** Answered only once Redis has it, so any process's journal lists it when the client sees the answer. */
  override async record(entry: Omit<JournalEntry, 'id'>): Promise<JournalEntry> {
    // Every process reads what it gets from the store as it is: secrets never get there.
    maskEntry(entry);
    const id = Number(
      await this.conn.scripts.recordEntry(
        [this.conn.keys.journal, this.conn.keys.journalId],
        [JSON.stringify(entry), this.cap, this.conn.keys.events, this.conn.origin],
      ),
    );
    return this.insert({ id, ...entry });
  }

  /** An entry another process recorded. */
  receive(entry: JournalEntry): void {
    this.insert(entry);
  }

  /** Every process's requests, newest first. */
  override async listAll(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    const texts = await this.conn.run(() => this.conn.redis.lrange(this.conn.keys.journal, 0, this.cap - 1));
    return Journal.filter(
      texts.map((t) => JSON.parse(t) as JournalEntry),
      filter,
      this.cap,
    );
  }

  override async clearAll(): Promise<void> {
    await this.conn.run(() => this.conn.redis.del(this.conn.keys.journal));
    await this.conn.run(() => this.conn.redis.publish(this.conn.keys.events, JSON.stringify({ origin: this.conn.origin, journalCleared: true })));
    this.clear();
  }
}
