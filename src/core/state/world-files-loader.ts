import { copyFile } from 'node:fs/promises';
import { describeInstant, TIME_MAX } from '../time/clock.js';
import { LoadError, validateWith } from '../validation/load-error.js';
import type { World } from '../world.js';
import { list, readLog, readSnapshot, readText, refusal, type DbData, type Loaded, type Problem } from './state-file.js';

export interface LoadOptions {
  /** Salvage what a damaged file holds, after keeping a copy of it (`--db-repair`), instead of refusing to start. */
  repair?: boolean;
  /** Where warnings go (a torn last line skipped, a stale lock taken over, a repair). */
  warn?: (message: string) => void;
}

/**
 * Lays a `--db` snapshot and its change log into a world at start-up. Both files are read and every line
 * checked first (state-file.ts, and each platform's data by its own schema); only then does the world
 * change. A problem refuses the start, or with `--db-repair` is skipped after both files are copied aside.
 */
export class WorldFilesLoader {
  private clockHeldAtEnd = false;

  constructor(
    private readonly world: World,
    private readonly file: string,
    private readonly logFile: string,
    private readonly opts: LoadOptions,
  ) {}

  /** Read both files, check every line, then (and only then) lay them into the world; the snapshot's generation. */
  async load(): Promise<number> {
    const problems: Problem[] = [];
    const snapText = await readText(this.file);
    const logText = await readText(this.logFile);
    const loaded: Loaded = { log: [] };
    if (snapText !== undefined) loaded.snapshot = readSnapshot(this.file, snapText, problems);
    const generation = loaded.snapshot?.generation ?? 0;
    const torn: string[] = [];
    if (logText !== undefined) loaded.log = readLog({ snapshot: this.file, log: this.logFile }, logText, generation, snapText !== undefined, problems, torn);
    await this.checkPlatformState(loaded, problems);
    if (problems.length) {
      if (!this.opts.repair) throw new Error(refusal(problems));
      await this.keepCopies(problems, snapText !== undefined, logText !== undefined);
    }
    for (const t of torn) this.opts.warn?.(t);
    if (loaded.snapshot) {
      const s = loaded.snapshot;
      this.world.store.load(s.tokens);
      await this.world.loadState(s.platformState, false);
      if (s.clock) this.restoreClock(s.clock);
    }
    const store = this.world.store;
    for (const line of loaded.log) {
      if ('t' in line) store.insert(line.t);
      else if ('d' in line) {
        const rec = store.get(line.d[0], line.d[1], line.d[2]);
        if (rec) store.remove(rec);
      } else if ('s' in line) {
        await this.world.loadState(line.s, false);
        this.restoreClock(line.c);
      }
    }
    if (this.clockHeldAtEnd)
      this.opts.warn?.(
        `${this.file}: the saved clock ran past ${describeInstant(TIME_MAX)} while the sandbox was stopped (it is kept as an offset from host time); it stands at the end of the range.`,
      );
    return generation;
  }

  /**
   * A kept clock, moved by the host time that passed while the sandbox was stopped. Past the end of the range
   * it stands at the end, as a running fast clock does (checkSavedClock refused any offset that never fit).
   */
  private restoreClock(c: DbData['clock']): void {
    const clock = this.world.clock;
    const at = clock.hostNow() + c.offsetMs;
    // A second's margin: the clock reads the host again, a moment later.
    if (at < TIME_MAX - 1000) {
      this.clockHeldAtEnd = false;
      clock.restoreOffset(c.offsetMs, c.rate);
    } else {
      this.clockHeldAtEnd = at > TIME_MAX;
      clock.apply({ rate: c.rate, set: Math.min(at, TIME_MAX) });
    }
  }

  /**
   * Each platform's data checked by the platform's own schema (a ZJRC `currentRefresh` that is a number loaded
   * silently and failed every ZJRC call). What is wrong is a problem like any other; with --db-repair the
   * platform starts from its initial data instead.
   */
  private async checkPlatformState(loaded: Loaded, problems: Problem[]): Promise<void> {
    const check = async (state: Record<string, unknown>, file: string, at: (path: string) => string): Promise<void> => {
      for (const id of Object.keys(state)) {
        const schema = await this.world.platforms.get(id)?.loadStateSchema?.();
        if (!schema) continue;
        try {
          validateWith(schema, state[id], file);
        } catch (e) {
          if (!(e instanceof LoadError)) throw e;
          for (const issue of e.issues) problems.push({ file, at: at(issue.path ? `${id}.${issue.path}` : id), what: issue.message });
          delete state[id];
        }
      }
    };
    if (loaded.snapshot) await check(loaded.snapshot.platformState, this.file, (path) => `platformState.${path}`);
    for (const line of loaded.log) if ('s' in line) await check(line.s, this.logFile, (path) => `platform state ${path}`);
  }

  /** --db-repair: copies of both files as they are, then a warning naming them and what will be lost. */
  private async keepCopies(problems: Problem[], snapshot: boolean, log: boolean): Promise<void> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const copies: string[] = [];
    for (const [exists, from] of [
      [snapshot, this.file],
      [log, this.logFile],
    ] as const) {
      if (!exists) continue;
      const to = `${from}.damaged-${stamp}`;
      await copyFile(from, to);
      copies.push(to);
    }
    this.opts.warn?.(
      `${this.file}: --db-repair: kept the files as they were in ${copies.join(' and ')}; starting from what could be read, without: ${list(problems)}`,
    );
  }
}
