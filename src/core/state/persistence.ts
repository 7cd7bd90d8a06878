import { appendFile, writeFile } from 'node:fs/promises';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Durability, World, WorldChange } from '../world.js';
import { DbLock, DbLockError } from './db-lock.js';
import { cannotWrite, checkClock, emptyData, FORMAT, type DbData, type LogLine } from './state-file.js';
import { WorldFilesLoader, type LoadOptions } from './world-files-loader.js';
import type { TokenRecord } from './token-record.js';

/** Log lines after which the next write folds the log into a new snapshot. */
const COMPACT_AFTER = 200_000;

/** `--db-repair` and where warnings go: what loading the files needs, and the lock's takeover warnings. */
export type PersistenceOptions = LoadOptions;

/**
 * Keeps one world on disk: a lowdb snapshot (`FILE`, written through a temp file and a rename, so
 * never torn) and an append-only log of changes since it (`FILE.log`). A request that changed
 * state waits for the next append that holds its change; appends are grouped (one serves every
 * request that arrived while the previous was in flight) and carry only what changed, so their cost
 * does not grow with the store. A kill can tear only the last log line, whose response never left;
 * it is skipped on replay, with a warning. Opening folds the log into a fresh snapshot.
 *
 * The files are only ever rewritten once every line of them was read and understood
 * (world-files-loader.ts): a snapshot that is not a state file, a log that does not continue it
 * (another generation: a snapshot restored from a backup), a damaged line anywhere but the last:
 * start-up is refused with the file, the line or path and what is wrong, and both files stay as they
 * were. `--db-repair` salvages what can be read, after copying both files aside. `FILE.lock` keeps a
 * second sandbox off the files.
 */
export class WorldPersistence implements Durability {
  private readonly db: Low<DbData>;
  private readonly logFile: string;
  private readonly lock: DbLock;
  private readonly dirtyRecords = new Set<TokenRecord>();
  private stateDirty = false;
  private snapshotDue = true;
  private generation = 0;
  private logLines = 0;
  private writing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private unfollow?: () => void;

  constructor(
    private readonly world: World,
    readonly file: string,
    private readonly opts: PersistenceOptions = {},
  ) {
    this.db = new Low<DbData>(new JSONFile<DbData>(file), emptyData());
    this.logFile = `${file}.log`;
    this.lock = new DbLock(file);
  }

  /** Lock the file, load the snapshot and replay its log into the world, then follow its changes. */
  async open(): Promise<void> {
    let replaced: number | undefined;
    let takeover: string | undefined;
    try {
      ({ replaced, takeover } = this.lock.acquire());
    } catch (e) {
      throw e instanceof DbLockError ? e : cannotWrite(this.file, e);
    }
    if (takeover) this.opts.warn?.(takeover);
    else if (replaced !== undefined)
      this.opts.warn?.(`${this.file}: took over the lock of pid ${replaced}, which is no longer running (it stopped without releasing ${this.lock.path}).`);
    try {
      this.generation = await new WorldFilesLoader(this.world, this.file, this.logFile, this.opts).load();
    } catch (e) {
      this.lock.release();
      throw e;
    }
    this.unfollow = this.world.on((change) => this.mark(change));
    this.world.keepWith(this);
    // The first write is where a missing folder or a read-only place shows: say so at start, in one line.
    try {
      await this.flush(true);
    } catch (e) {
      this.lock.release();
      throw cannotWrite(this.file, e);
    }
  }

  /** Stop writing the world and give up the lock, leaving the files as they are, as a crash would (tests use it). */
  abandon(): void {
    this.unfollow?.();
    this.world.keepWith({ flush: () => Promise.resolve() });
    this.lock.release();
  }

  /** Fold the log into a snapshot and give up the lock (a clean stop leaves one self-contained file). */
  async close(): Promise<void> {
    try {
      await this.compact();
    } finally {
      this.lock.release();
    }
  }

  private mark(change: WorldChange): void {
    if (change.type === 'token') this.dirtyRecords.add(change.record);
    else if (change.type === 'tokens-cleared' || change.type === 'reset') this.snapshotDue = true;
    else if (change.type === 'state' || change.type === 'clock') this.stateDirty = true;
  }

  private get dirty(): boolean {
    return this.snapshotDue || this.stateDirty || this.dirtyRecords.size > 0;
  }

  /** Fold the log into a snapshot (a clean stop leaves one self-contained file). */
  compact(): Promise<void> {
    this.snapshotDue = true;
    return this.flush();
  }

  /** Resolves when every change made before the call is on disk. */
  flush(force = false): Promise<void> {
    if (force || this.dirty) {
      this.queued ??= (this.writing ?? Promise.resolve()).then(() => {
        this.queued = undefined;
        const w = this.write();
        this.writing = w;
        return w.finally(() => {
          if (this.writing === w) this.writing = undefined;
        });
      });
      return this.queued;
    }
    return this.writing ?? Promise.resolve();
  }

  /** Everything below up to the first await runs at once, so changes made during the I/O go to the next batch. */
  private async write(): Promise<void> {
    if (this.snapshotDue || this.logLines >= COMPACT_AFTER) return this.snapshot();
    const store = this.world.store;
    let text = '';
    for (const rec of this.dirtyRecords) {
      const line: LogLine = store.get(rec.platform, rec.kind, rec.value) === rec ? { t: rec } : { d: [rec.platform, rec.kind, rec.value] };
      text += `${JSON.stringify(line)}\n`;
    }
    if (this.stateDirty) text += `${JSON.stringify(this.stateLine())}\n`;
    this.logLines += this.dirtyRecords.size + (this.stateDirty ? 1 : 0);
    this.dirtyRecords.clear();
    this.stateDirty = false;
    if (text) await appendFile(this.logFile, text);
  }

  /** The clock as it is kept: the Clock holds it in range, and this checks once more, so a broken clock is never written. */
  private clockLine(): DbData['clock'] {
    const clock = this.world.clock;
    const { offsetMs, hostMs } = clock.offsetReading();
    const kept = { offsetMs, rate: clock.rate };
    const issue = checkClock(kept, hostMs);
    if (issue) throw new Error(`${this.file}: refusing to write a clock out of range (${issue}); this is a sandbox bug, please report it.`);
    return kept;
  }

  private stateLine(): LogLine {
    return { s: this.world.stateSnapshot, c: this.clockLine() };
  }

  /**
   * A full snapshot under the next generation, then a fresh log naming it. Killed in between, the old
   * log names the old generation and is ignored: the snapshot already holds everything it said.
   */
  private async snapshot(): Promise<void> {
    const clock = this.world.clock;
    this.generation++;
    this.db.data = {
      format: FORMAT,
      version: 1,
      savedAt: clock.now(),
      generation: this.generation,
      clock: this.clockLine(),
      tokens: [...this.world.store.all()],
      platformState: this.world.stateSnapshot,
    };
    this.snapshotDue = false;
    this.stateDirty = false;
    this.dirtyRecords.clear();
    this.logLines = 0;
    const header = `${JSON.stringify({ g: this.generation })}\n`;
    await this.db.write();
    await writeFile(this.logFile, header);
  }
}
