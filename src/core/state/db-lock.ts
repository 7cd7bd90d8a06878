import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { isAlive, processStartTicks } from './process-liveness.js';

/**
 * One `--db` file, one sandbox: `FILE.lock` names the process that holds FILE (pid, host, start).
 * It is created exclusively (O_EXCL), so of two sandboxes starting at once one wins. A lock is taken over,
 * saying so, only when its holder is proven gone, so that a crash never leaves the file locked:
 * - written on this host: its pid no longer runs, has exited and waits as a zombie (a container's PID 1
 *   may never reap it), or — on Linux — runs a different process than the one that wrote it (/proc start
 *   time). The process itself decides, not an mtime: a sleeping laptop or a busy event loop lets a timer
 *   go stale while the holder still runs.
 * - written on another host (a shared folder, a container recreated after a crash under a new host
 *   name): its pid means nothing here, so the holder's heartbeat decides. A holder touches the lock every
 *   HEARTBEAT_MS; a lock from another host untouched for SILENT_MS has no holder left.
 *
 * Hand-written rather than proper-lockfile: the refusal must name the holder's pid, a local holder's
 * liveness is the process itself, and it needs no dependency.
 */
interface Holder {
  pid: number;
  host: string;
  started: string;
  /** Linux: the holder's start time in clock ticks since boot (/proc/<pid>/stat field 22), to tell a reused pid. */
  procStart?: string;
}

/** Lock files this process holds: a second sandbox in the same process is refused too. */
const heldHere = new Set<string>();
/** A lock file without a readable holder younger than this may be one being written: not taken over. */
const FRESH_MS = 2000;
/** How often a holder touches its lock, for sandboxes on other hosts to see that it lives. */
const HEARTBEAT_MS = 5000;
/** A lock from another host untouched this long (six heartbeats missed) has no holder left. */
export const SILENT_MS = 30_000;

export class DbLockError extends Error {}

const procStart = processStartTicks;

/** Whether the process that wrote the lock still runs: its pid runs (not as a zombie), as the same process. */
function running(holder: Holder): boolean {
  if (!isAlive(holder.pid)) return false;
  const now = procStart(holder.pid);
  return holder.procStart === undefined || now === undefined || now === holder.procStart;
}

function readHolder(path: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Holder;
    return Number.isSafeInteger(h?.pid) && typeof h.host === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

/** Create `path` holding `text`, only if it does not exist; false if it does. */
function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

export class DbLock {
  readonly path: string;
  private readonly key: string;
  private held = false;
  private heartbeat?: NodeJS.Timeout;
  private readonly onExit = () => this.release();

  constructor(readonly file: string) {
    this.path = `${file}.lock`;
    this.key = resolve(this.path);
  }

  /** Take the lock, or throw a DbLockError naming the file and its holder. Returns the pid of a stale holder it replaced (and, when that needs saying, why). */
  acquire(): { replaced?: number; takeover?: string } {
    if (heldHere.has(this.key)) {
      throw new DbLockError(
        `${this.file}: in use by another sandbox in this process (pid ${process.pid}): two sandboxes on one --db file overwrite each other's tokens. Close that one first, or pass another --db path.`,
      );
    }
    const me: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), procStart: procStart(process.pid) };
    const text = `${JSON.stringify(me)}\n`;
    let replaced: number | undefined;
    if (!createExclusive(this.path, text)) {
      const holder = readHolder(this.path);
      if (holder && holder.host !== me.host) {
        const silent = ageMs(this.path);
        if (silent < SILENT_MS)
          throw new DbLockError(
            `${this.file}: in use by pid ${holder.pid} on host ${holder.host} (lock file ${this.path}, last heartbeat ${Math.round(silent / 1000)} s ago); stop that sandbox, or if it is gone wait: a lock from another host is taken over after ${SILENT_MS / 1000} s without a heartbeat (or delete ${this.path}, or pass another --db path).`,
          );
        const replaced = this.takeOver(holder, text);
        this.hold();
        return {
          replaced,
          takeover: `${this.file}: took over the lock of pid ${holder.pid} on host ${holder.host}, whose last heartbeat was ${Math.round(silent / 1000)} s ago (a running holder touches ${this.path} every ${HEARTBEAT_MS / 1000} s).`,
        };
      }
      // A lock of this very process that it no longer holds was left by a sandbox whose start failed: stale.
      const ours = holder?.pid === process.pid && holder.procStart === me.procStart;
      if (holder ? !ours && running(holder) : ageMs(this.path) < FRESH_MS) {
        throw new DbLockError(
          holder
            ? `${this.file}: in use by another sandbox (pid ${holder.pid}, started ${holder.started}): two sandboxes on one --db file overwrite each other's tokens. Stop that one, or pass another --db path. (Lock file: ${this.path}.)`
            : `${this.file}: another sandbox is starting on it right now (lock file ${this.path}); wait for it, or pass another --db path.`,
        );
      }
      replaced = this.takeOver(holder, text);
    }
    this.hold();
    return { replaced };
  }

  private hold(): void {
    this.held = true;
    heldHere.add(this.key);
    process.once('exit', this.onExit);
    this.heartbeat = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(this.path, now, now);
      } catch {
        // Gone (deleted by hand): there is nothing to keep fresh.
      }
    }, HEARTBEAT_MS);
    // The heartbeat never keeps a process alive that has nothing else to do.
    this.heartbeat.unref();
  }

  /** The holder is gone: replace its lock, with a second lock around the swap so two starters cannot both do it. */
  private takeOver(stale: Holder | undefined, text: string): number | undefined {
    const swap = `${this.path}.takeover`;
    if (!createExclusive(swap, text)) {
      if (ageMs(swap) < 10_000)
        throw new DbLockError(`${this.file}: another sandbox is taking over its stale lock right now (${swap}); wait for it, or pass another --db path.`);
      unlinkSync(swap);
      return this.takeOver(stale, text);
    }
    try {
      const again = readHolder(this.path);
      if (JSON.stringify(again) !== JSON.stringify(stale))
        throw new DbLockError(`${this.file}: another sandbox took its lock a moment ago (${this.path}); pass another --db path.`);
      try {
        unlinkSync(this.path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      if (!createExclusive(this.path, text))
        throw new DbLockError(`${this.file}: another sandbox took its lock a moment ago (${this.path}); pass another --db path.`);
      return stale?.pid;
    } finally {
      unlinkSync(swap);
    }
  }

  /** Give the lock up (on close, and at process exit if close never ran); only a lock this process wrote is removed. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    clearInterval(this.heartbeat);
    heldHere.delete(this.key);
    process.off('exit', this.onExit);
    if (readHolder(this.path)?.pid === process.pid) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone: nothing to give up.
      }
    }
  }
}
