import { readFile } from 'node:fs/promises';
import { describeInstant, inTimeRange, LATEST_EXPIRY, MAX_RATE, TIME_MAX, TIME_MIN, TIME_RANGE } from '../time/clock.js';
import { REVOKE_REASONS, TOKEN_KINDS, type TokenRecord } from './token-record.js';

/**
 * The `--db` files as data: their format, and the checks that read a snapshot and a change log before
 * anything of a world changes. Every problem names the file, the line or JSON path, and what is wrong.
 */

export const FORMAT = 'oauth-sandbox-state';
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
export type LogLine = { g: number } | { t: TokenRecord } | { d: [string, TokenRecord['kind'], string] } | { s: Record<string, unknown>; c: DbData['clock'] };

/** Something wrong in a state file: where, and what. */
export interface Problem {
  file: string;
  /** 1-based line of the log, or a JSON path in the snapshot ('' for the file as a whole). */
  at: string;
  what: string;
}

/** What the files say, read and checked before anything of the world changes. */
export interface Loaded {
  snapshot?: { tokens: TokenRecord[]; platformState: Record<string, unknown>; clock?: DbData['clock']; generation: number };
  log: LogLine[];
}

export function readSnapshot(file: string, text: string, problems: Problem[]): Loaded['snapshot'] {
  const problem = (at: string, what: string) => problems.push({ file: file, at, what });
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
  const clockIssue = d.clock === undefined ? undefined : checkSavedClock(d.clock);
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
export function readLog(
  files: { snapshot: string; log: string },
  text: string,
  generation: number,
  snapshotExists: boolean,
  problems: Problem[],
  torn: string[],
): LogLine[] {
  const problem = (line: number, what: string) => problems.push({ file: files.log, at: `line ${line}`, what });
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
      torn.push(`${files.log}: line 1: skipped a torn header (a write the stop interrupted); the snapshot holds everything.`);
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
          ? `the log continues snapshot generation ${g}, but ${files.snapshot} is generation ${generation}: the two files do not belong together (a snapshot restored from a backup, or a file copied from elsewhere)`
          : `the log continues snapshot generation ${g}, but ${files.snapshot} does not exist`,
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
    if (i === last && tornLast) torn.push(`${files.log}: line ${i + 1}: skipped a torn last line (a write the stop interrupted, whose answer never left).`);
    else problem(i + 1, issue ?? 'unreadable');
  }
  return out;
}

/** The first write (the lock, then the snapshot) is where a missing folder or a read-only place shows: one line. */
export function cannotWrite(file: string, e: unknown): Error {
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
export async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new Error(`${file}: not a readable sandbox state file (${code ?? (e as Error).message}). Move it away or pass another --db path.`);
  }
}

export function parse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function refusal(problems: Problem[]): string {
  return (
    `cannot use the --db files: ${list(problems)}. Nothing was changed and nothing was written. ` +
    'Move the files away (or pass another --db path) to start afresh, or start once with --db-repair to keep a copy of them and salvage what can be read.'
  );
}

export function list(problems: Problem[]): string {
  const shown = problems.slice(0, LISTED).map((p) => `${p.file}${p.at ? `: ${p.at}` : ''}: ${p.what}`);
  return shown.join('; ') + (problems.length > LISTED ? `; and ${problems.length - LISTED} more` : '');
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What is wrong with a clock about to be written, if anything: it must put sandbox time in range at the host reading it was taken against. */
export function checkClock(c: unknown, hostMs: number): string | undefined {
  const shape = checkClockShape(c);
  if (shape) return shape;
  const offsetMs = (c as DbData['clock']).offsetMs;
  const at = hostMs + offsetMs;
  if (!inTimeRange(at)) return `"offsetMs" ${offsetMs} puts sandbox time at ${describeInstant(at)}, outside the range ${TIME_RANGE}`;
  return undefined;
}

/**
 * What is wrong with a clock read from a file, if anything. The clock is kept as an offset from host time,
 * and host time went on while the sandbox was stopped: a clock saved near the end of the range is past it
 * by the next start (the sandbox then holds it at the end, as a running fast clock stops there). So only an
 * offset that no host time since 1970 could have put in range is refused (time never runs back, so one
 * before the range now was before it when saved).
 */
export function checkSavedClock(c: unknown): string | undefined {
  const shape = checkClockShape(c);
  if (shape) return shape;
  const offsetMs = (c as DbData['clock']).offsetMs;
  const at = Date.now() + offsetMs;
  if (offsetMs > TIME_MAX || at < TIME_MIN) return `"offsetMs" ${offsetMs} puts sandbox time at ${describeInstant(at)}, outside the range ${TIME_RANGE}`;
  return undefined;
}

function checkClockShape(c: unknown): string | undefined {
  if (!isObject(c)) return `expected {"offsetMs", "rate"}, got ${JSON.stringify(c)?.slice(0, 40)}`;
  if (typeof c.rate !== 'number' || !(c.rate >= 0 && c.rate <= MAX_RATE)) return `"rate" must be a number from 0 to ${MAX_RATE}, got ${JSON.stringify(c.rate)}`;
  if (typeof c.offsetMs !== 'number' || !Number.isFinite(c.offsetMs)) return `"offsetMs" must be a number, got ${JSON.stringify(c.offsetMs)}`;
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
    const issue = checkSavedClock(v.c);
    return issue && `the clock: ${issue}`;
  }
  return `expected a change ({"t": record}, {"d": [platform, kind, value]} or {"s": state, "c": clock}), got ${JSON.stringify(v).slice(0, 60)}`;
}

export function emptyData(): DbData {
  return { format: FORMAT, version: 1, savedAt: 0, clock: { offsetMs: 0, rate: 1 }, tokens: [], platformState: {} };
}
