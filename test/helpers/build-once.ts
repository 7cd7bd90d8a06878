import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BuildOnceOptions {
  /** What is being built, for the message when the wait is given up. */
  what: string;
  /** A lock held longer than this is taken over even if its holder still runs: longer than a build can take. */
  staleMs: number;
  /** How long to wait for another worker's build before failing. */
  waitMs: number;
}

/**
 * The builder has died (its Jest worker crashed or was ended: its pid is gone), or has held the lock for
 * longer than a build can take. A lock with no pid yet was only just made by a builder that runs.
 */
function abandoned(lock: string, staleMs: number): boolean {
  try {
    if (Date.now() - statSync(lock).mtimeMs > staleMs) return true;
    process.kill(Number(readFileSync(join(lock, 'pid'), 'utf8')), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Something the test files of a run share and one of them should make (the packed install, compiled client
 * classes, the docs' consumer project), whichever Jest worker gets there first. That worker takes `lock` (a
 * directory: making one is atomic), runs `build` and writes what it returns to `ready`; the others wait for
 * `ready`. Resolves to the text of `ready`. A later run finds `ready` and builds nothing.
 */
export async function buildOnce(ready: string, lock: string, build: () => Promise<string> | string, opts: BuildOnceOptions): Promise<string> {
  const deadline = Date.now() + opts.waitMs;
  for (;;) {
    if (existsSync(ready)) return readFileSync(ready, 'utf8');
    try {
      mkdirSync(lock);
    } catch {
      if (abandoned(lock, opts.staleMs)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`gave up waiting for another test to build ${opts.what} (${lock})`);
      else await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      writeFileSync(join(lock, 'pid'), String(process.pid));
      writeFileSync(ready, await build());
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
