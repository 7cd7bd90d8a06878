import { appendFile, copyFile, readFile, writeFile } from 'node:fs/promises';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { describeInstant, inTimeRange, LATEST_EXPIRY, MAX_RATE, TIME_MIN, TIME_RANGE } from '../time/clock.js';
import type { Durability, World, WorldChange } from '../world.js';
import { DbLock, DbLockError } from './db-lock.js';
import { REVOKE_REASONS, TOKEN_KINDS, type TokenRecord } from './token-record.js';

const FORMAT = 'oauth-sandbox-state';
/** Log lines after which the next write folds the log into a new snapshot. */
const COMPACT_AFTER = 200_000;
/** How many problems a refusal or a repair lists before "and N more". */
const LISTED = 5;

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

export interface PersistenceOptions {
  /** Salvage what a damaged file holds, after keeping a copy of it (`--db-repair`), instead of refusing to start. */
  repair?: boolean;
  /** Where warnings go (a torn last line skipped, a stale lock taken over, a repair). */
  warn?: (message: string) => void;
}

/** Something wrong in a state file: where, and what. */
interface Problem {
  file: string;
  /** 1-based line of the log, or a JSON path in the snapshot ('' for the file as a whole). */
  at: string;
  what: string;
}

/** What the files say, read and checked before anything of the world changes. */
interface Loaded {
  snapshot?: { tokens: TokenRecord[]; platformState: Record<string, unknown>; clock?: DbData['clock']; generation: number };
  log: LogLine[];
}

/**
 * Keeps one world on disk: a lowdb snapshot (`FILE`, written through a temp file and a rename, so
 * never torn) and an append-only log of changes since it (`FILE.log`). A request that changed
 * state waits for the next append that holds its change; appends are grouped (one serves every
 * request that arrived while the previous was in flight) and carry only what changed, so their cost
 * does not grow with the store. A kill can tear only the last log line, whose response never left;
 * it is skipped on replay, with a warning. Opening folds the log into a fresh snapshot.
 *
 * The files are only ever rewritten once every line of them was read and understood: a snapshot
 * that is not a state file, a log that does not continue it (another generation: a snapshot
 * restored from a backup), a damaged line anywhere but the last: start-up is refused with the file,
 * the line or path and what is wrong, and both files stay as they were. `--db-repair` salvages what
 * can be read, after copying both files aside. `FILE.lock` keeps a second sandbox off the files.
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
    try {
      ({ replaced } = this.lock.acquire());
    } catch (e) {
      throw e instanceof DbLockError ? e : cannotWrite(this.file, e);
    }
    if (replaced !== undefined)
      this.opts.warn?.(`${this.file}: took over the lock of pid ${replaced}, which is no longer running (it stopped without releasing ${this.lock.path}).`);
    try {
      await this.load();
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

  /** Read both files, check every line, then (and only then) lay them into the world. */
  private async load(): Promise<void> {
    const problems: Problem[] = [];
    const snapText = await readText(this.file);
    const logText = await readText(this.logFile);
    const loaded: Loaded = { log: [] };
    if (snapText !== undefined) loaded.snapshot = this.readSnapshot(snapText, problems);
    const generation = loaded.snapshot?.generation ?? 0;
    const torn: string[] = [];
    if (logText !== undefined) loaded.log = this.readLog(logText, generation, snapText !== undefined, problems, torn);
    if (problems.length) {
      if (!this.opts.repair) throw new Error(refusal(problems));
      await this.keepCopies(problems, snapText !== undefined, logText !== undefined);
    }
    for (const t of torn) this.opts.warn?.(t);
    if (loaded.snapshot) {
      const s = loaded.snapshot;
      this.world.store.load(s.tokens);
      await this.world.loadState(s.platformState, false);
      if (s.clock) this.world.clock.restoreOffset(s.clock.offsetMs, s.clock.rate);
      this.generation = s.generation;
    }
    const store = this.world.store;
    for (const line of loaded.log) {
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

  private readSnapshot(text: string, problems: Problem[]): Loaded['snapshot'] {
    const problem = (at: string, what: string) => problems.push({ file: this.file, at, what });
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      problem('', `not valid JSON (${(e as Error).message}): not a sandbox state file, or a damaged one`);
      return undefined;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      problem('', `holds ${JSON.stringify(data)?.slice(0, 40)}, not a sandbox state file (an object with "format": "${FORMAT}")`);
      return undefined;
    }
    const d = data as Partial<DbData> & Record<string, unknown>;
    if (d.format !== FORMAT) {
      problem(
        'format',
        Object.keys(d).length === 0
          ? `is an empty object, not a sandbox state file (no "format": "${FORMAT}")`
          : `exists but is not a sandbox state file (no "format": "${FORMAT}")`,
      );
      return undefined;
    }
    if (d.version !== 1) problem('version', `expected 1, got ${JSON.stringify(d.version)}`);
    const generation = d.generation ?? 0;
    if (!Number.isSafeInteger(generation) || generation < 0) problem('generation', `expected a whole number ≥ 0, got ${JSON.stringify(d.generation)}`);
    const clockIssue = d.clock === undefined ? undefined : checkClock(d.clock);
    if (clockIssue) problem('clock', clockIssue);
    const tokens: TokenRecord[] = [];
    if (!Array.isArray(d.tokens)) problem('tokens', `expected an array of token records, got ${JSON.stringify(d.tokens)?.slice(0, 40)}`);
    else
      d.tokens.forEach((rec, i) => {
        const issue = checkRecord(rec);
        if (issue) problem(`tokens[${i}]`, issue);
        else tokens.push(rec as TokenRecord);
      });
    const platformState = d.platformState ?? {};
    const stateOk = isObject(platformState);
    if (!stateOk) problem('platformState', `expected an object (per platform, its data), got ${JSON.stringify(platformState)?.slice(0, 40)}`);
    return {
      tokens,
      platformState: stateOk ? platformState : {},
      clock: clockIssue ? undefined : d.clock,
      generation: Number.isSafeInteger(generation) && generation >= 0 ? generation : 0,
    };
  }

  /**
   * The log's lines, checked. Its header names the snapshot generation it continues: the same one is
   * replayed; the one before was folded into the snapshot already (a kill between writing the snapshot
   * and starting the new log). Any other, or none, means the two files do not belong together.
   */
  private readLog(text: string, generation: number, snapshotExists: boolean, problems: Problem[], torn: string[]): LogLine[] {
    const problem = (line: number, what: string) => problems.push({ file: this.logFile, at: `line ${line}`, what });
    const lines = text.split('\n');
    // Every append ends with a newline: a last line without one is a write that a kill interrupted.
    const tornLast = lines[lines.length - 1] !== '';
    if (!tornLast) lines.pop();
    if (lines.length === 0) return [];
    const out: LogLine[] = [];
    const last = lines.length - 1;
    const header = parse(lines[0]);
    if (!header.ok || !isObject(header.value) || !Number.isSafeInteger(header.value.g)) {
      if (last === 0 && tornLast) {
        torn.push(`${this.logFile}: line 1: skipped a torn header (a write the stop interrupted); the snapshot holds everything.`);
        return [];
      }
      problem(1, `not a log header such as {"g":1} (${header.ok ? `got ${lines[0].slice(0, 40)}` : header.error})`);
    } else {
      const g = header.value.g as number;
      if (g === generation - 1) return [];
      if (g !== generation) {
        problem(
          1,
          snapshotExists
            ? `the log continues snapshot generation ${g}, but ${this.file} is generation ${generation}: the two files do not belong together (a snapshot restored from a backup, or a file copied from elsewhere)`
            : `the log continues snapshot generation ${g}, but ${this.file} does not exist`,
        );
      }
    }
    for (let i = 1; i < lines.length; i++) {
      const parsed = parse(lines[i]);
      const issue = parsed.ok ? checkLine(parsed.value) : `not valid JSON (${parsed.error})`;
      if (parsed.ok && !issue) {
        out.push(parsed.value as LogLine);
        continue;
      }
      if (i === last && tornLast)
        torn.push(`${this.logFile}: line ${i + 1}: skipped a torn last line (a write the stop interrupted, whose answer never left).`);
      else problem(i + 1, issue ?? 'unreadable');
    }
    return out;
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
    const kept = { offsetMs: clock.offsetMs(), rate: clock.rate };
    const issue = checkClock(kept);
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

/** The first write (the lock, then the snapshot) is where a missing folder or a read-only place shows: one line. */
function cannotWrite(file: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new Error(
      `${file}: cannot write the sandbox state file (permission denied). Give this user write access to the file and its folder, or pass another --db path.`,
    );
  }
  const why = code === 'ENOENT' ? 'its folder does not exist' : (e as Error).message;
  return new Error(`${file}: cannot write the sandbox state file (${why}). Create the folder or pass another --db path.`);
}

/** A file's text, or undefined when there is no file; any other failure names the file. */
async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new Error(`${file}: not a readable sandbox state file (${code ?? (e as Error).message}). Move it away or pass another --db path.`);
  }
}

function parse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function refusal(problems: Problem[]): string {
  return (
    `cannot use the --db files: ${list(problems)}. Nothing was changed and nothing was written. ` +
    'Move the files away (or pass another --db path) to start afresh, or start once with --db-repair to keep a copy of them and salvage what can be read.'
  );
}

function list(problems: Problem[]): string {
  const shown = problems.slice(0, LISTED).map((p) => `${p.file}${p.at ? `: ${p.at}` : ''}: ${p.what}`);
  return shown.join('; ') + (problems.length > LISTED ? `; and ${problems.length - LISTED} more` : '');
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What is wrong with a kept clock, if anything. */
function checkClock(c: unknown): string | undefined {
  if (!isObject(c)) return `expected {"offsetMs", "rate"}, got ${JSON.stringify(c)?.slice(0, 40)}`;
  if (typeof c.rate !== 'number' || !(c.rate >= 0 && c.rate <= MAX_RATE)) return `"rate" must be a number from 0 to ${MAX_RATE}, got ${JSON.stringify(c.rate)}`;
  if (typeof c.offsetMs !== 'number' || !Number.isFinite(c.offsetMs)) return `"offsetMs" must be a number, got ${JSON.stringify(c.offsetMs)}`;
  const at = Date.now() + c.offsetMs;
  if (!inTimeRange(at)) return `"offsetMs" ${c.offsetMs} puts sandbox time at ${describeInstant(at)}, outside the range ${TIME_RANGE}`;
  return undefined;
}

const str = (v: unknown): v is string => typeof v === 'string';
const instantIn = (v: unknown, max: number): boolean => typeof v === 'number' && Number.isFinite(v) && v >= TIME_MIN && v <= max;

/** What is wrong with a stored token record, if anything. */
function checkRecord(r: unknown): string | undefined {
  if (!isObject(r)) return `expected a token record, got ${JSON.stringify(r)?.slice(0, 40)}`;
  for (const k of ['value', 'platform', 'appId', 'subject', 'family'] as const)
    if (!str(r[k]) || r[k] === '') return `"${k}" must be a non-empty string, got ${JSON.stringify(r[k])?.slice(0, 40)}`;
  if (!(TOKEN_KINDS as readonly unknown[]).includes(r.kind)) return `"kind" must be one of ${TOKEN_KINDS.join(', ')}, got ${JSON.stringify(r.kind)}`;
  if (!instantIn(r.issuedAt, LATEST_EXPIRY)) return `"issuedAt" must be epoch milliseconds ${TIME_RANGE}, got ${JSON.stringify(r.issuedAt)}`;
  if (r.expiresAt !== null && !instantIn(r.expiresAt, LATEST_EXPIRY))
    return `"expiresAt" must be null or epoch milliseconds from ${describeInstant(TIME_MIN)} to ${describeInstant(LATEST_EXPIRY)}, got ${JSON.stringify(r.expiresAt)}`;
  if (r.ttl !== null && !(typeof r.ttl === 'number' && Number.isFinite(r.ttl) && r.ttl >= 0))
    return `"ttl" must be null or seconds ≥ 0, got ${JSON.stringify(r.ttl)}`;
  for (const k of ['usedAt', 'revokedAt', 'graceUntil'] as const) {
    if (r[k] !== undefined && !instantIn(r[k], LATEST_EXPIRY))
      return `"${k}" must be epoch milliseconds from ${describeInstant(TIME_MIN)} to ${describeInstant(LATEST_EXPIRY)}, got ${JSON.stringify(r[k])}`;
  }
  if (r.revokedReason !== undefined && !(REVOKE_REASONS as readonly unknown[]).includes(r.revokedReason))
    return `"revokedReason" must be one of ${REVOKE_REASONS.join(', ')}, got ${JSON.stringify(r.revokedReason)}`;
  for (const k of ['pair', 'replacedBy'] as const)
    if (r[k] !== undefined && !str(r[k])) return `"${k}" must be a string, got ${JSON.stringify(r[k])?.slice(0, 40)}`;
  if (r.scopes !== undefined && !(Array.isArray(r.scopes) && r.scopes.every(str))) return `"scopes" must be an array of strings`;
  if (r.data !== undefined && !isObject(r.data)) return `"data" must be an object, got ${JSON.stringify(r.data)?.slice(0, 40)}`;
  return undefined;
}

/** What is wrong with one line after the header, if anything. */
function checkLine(v: unknown): string | undefined {
  if (!isObject(v))
    return `expected a change ({"t": record}, {"d": [platform, kind, value]} or {"s": state, "c": clock}), got ${JSON.stringify(v)?.slice(0, 40)}`;
  if ('t' in v) {
    const issue = checkRecord(v.t);
    return issue && `a written record: ${issue}`;
  }
  if ('d' in v) {
    const d = v.d;
    return Array.isArray(d) && d.length === 3 && d.every(str) && (TOKEN_KINDS as readonly string[]).includes(d[1])
      ? undefined
      : `a removed record must be ["<platform>", "<kind>", "<value>"], got ${JSON.stringify(d)?.slice(0, 60)}`;
  }
  if ('s' in v) {
    if (!isObject(v.s)) return `platform state must be an object, got ${JSON.stringify(v.s)?.slice(0, 40)}`;
    const issue = checkClock(v.c);
    return issue && `the clock: ${issue}`;
  }
  return `expected a change ({"t": record}, {"d": [platform, kind, value]} or {"s": state, "c": clock}), got ${JSON.stringify(v).slice(0, 60)}`;
}

function emptyData(): DbData {
  return { format: FORMAT, version: 1, savedAt: 0, clock: { offsetMs: 0, rate: 1 }, tokens: [], platformState: {} };
}
