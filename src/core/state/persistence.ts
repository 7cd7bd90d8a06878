import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Durability, World, WorldChange } from '../world.js';
import type { TokenRecord } from './token-record.js';

const FORMAT = 'oauth-sandbox-state';
/** Log lines after which the next write folds the log into a new snapshot. */
const COMPACT_AFTER = 200_000;

export interface DbData {
  format: typeof FORMAT;
  version: 1;
  savedAt: number;
  /** Which log continues this snapshot: a log with another generation is older and ignored. */
  generation?: number;
  clock: { offsetMs: number; rate: number };
  tokens: TokenRecord[];
  platformState: Record<string, unknown>;
}

/** One line of the change log: a record written, a record removed, or platform state and clock. */
type LogLine = { g: number } | { t: TokenRecord } | { d: [string, TokenRecord['kind'], string] } | { s: Record<string, unknown>; c: DbData['clock'] };

/**
 * Keeps one world on disk: a lowdb snapshot (`FILE`, written through a temp file and a rename, so
 * never torn) and an append-only log of changes since it (`FILE.log`). A request that changed
 * state waits for the next append that holds its change; appends are grouped (one serves every
 * request that arrived while the previous was in flight) and carry only what changed, so their cost
 * does not grow with the store. A kill can tear only the last log line, whose response never left;
 * it is skipped on replay. Opening folds the log into a fresh snapshot.
 */
export class WorldPersistence implements Durability {
  private readonly db: Low<DbData>;
  private readonly logFile: string;
  private readonly dirtyRecords = new Set<TokenRecord>();
  private stateDirty = false;
  private snapshotDue = true;
  private generation = 0;
  private logLines = 0;
  private writing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly world: World, readonly file: string) {
    this.db = new Low<DbData>(new JSONFile<DbData>(file), emptyData());
    this.logFile = `${file}.log`;
  }

  /** Load the snapshot and replay its log (if any) into the world, then follow its changes. */
  async open(): Promise<void> {
    try {
      await this.db.read();
    } catch (e) {
      throw new Error(`${this.file}: not a readable sandbox state file (${(e as Error).message}). Move it away or pass another --db path.`);
    }
    const data = this.db.data as Partial<DbData> | null;
    if (data && data.format === FORMAT && Array.isArray(data.tokens)) {
      this.world.store.load(data.tokens);
      await this.world.loadState(data.platformState ?? {}, false);
      if (data.clock) this.world.clock.restoreOffset(data.clock.offsetMs, data.clock.rate);
      this.generation = data.generation ?? 0;
      await this.replayLog();
    } else if (data && Object.keys(data).length > 0 && data.format !== FORMAT) {
      throw new Error(`${this.file}: exists but is not a sandbox state file (no "format": "${FORMAT}"). Move it away or pass another --db path.`);
    }
    this.world.on((change) => this.mark(change));
    this.world.keepWith(this);
    // The first write is where a missing folder or a read-only place shows: say so at start, in one line.
    try {
      await this.flush(true);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message;
      throw new Error(`${this.file}: cannot write the sandbox state file (${why}). Create the folder or pass another --db path.`);
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

  private stateLine(): LogLine {
    const clock = this.world.clock;
    return { s: this.world.stateSnapshot, c: { offsetMs: clock.offsetMs(), rate: clock.rate } };
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
      clock: { offsetMs: clock.offsetMs(), rate: clock.rate },
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

  private async replayLog(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.logFile, 'utf8');
    } catch {
      return;
    }
    const lines = text.split('\n');
    const header = parseLine(lines[0]);
    if (!header || !('g' in header) || header.g !== this.generation) return;
    const store = this.world.store;
    for (let i = 1; i < lines.length; i++) {
      const line = parseLine(lines[i]);
      if (!line) continue;
      if ('t' in line) store.insert(line.t);
      else if ('d' in line) {
        const rec = store.get(line.d[0], line.d[1], line.d[2]);
        if (rec) store.remove(rec);
      } else if ('s' in line) {
        await this.world.loadState(line.s, false);
        this.world.clock.restoreOffset(line.c.offsetMs, line.c.rate);
      }
    }
  }
}

/** A torn last line (the write a kill interrupted) is no line at all. */
function parseLine(text: string | undefined): LogLine | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return undefined;
  }
}

function emptyData(): DbData {
  return { format: FORMAT, version: 1, savedAt: 0, clock: { offsetMs: 0, rate: 1 }, tokens: [], platformState: {} };
}
