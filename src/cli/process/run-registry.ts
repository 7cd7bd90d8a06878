import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './process-state.js';

export { isAlive };

/**
 * Every sandbox started from the command line leaves a record here while it runs: its pid, the port it
 * asked for and got, its files, and why it failed if it did. `health --wait` reads it to give up at once
 * when the sandbox it waits for has died, and `stop --port` to find the process behind a port.
 */
export interface RunRecord {
  pid: number;
  /** When the process started (epoch ms): with /__sandbox/health's uptime, tells a reused pid apart. */
  startedAt: number;
  state: 'starting' | 'ready' | 'failed';
  cwd: string;
  host: string;
  /** The port asked for (0: any). */
  port: number;
  url?: string;
  /** Ports actually bound: the main one, and the HTTPS one when both are served. */
  boundPorts?: number[];
  portFile?: string;
  pidFile?: string;
  logFile?: string;
  /** Certificate to trust when probing it over HTTPS. */
  certificate?: string;
  error?: string;
  endedAt?: number;
}

/** Records of processes that are gone are kept a while (health may ask why), then swept. */
const KEEP_DEAD_MS = 24 * 3600 * 1000;

export function registryDir(): string {
  let user: string;
  try {
    user = String(process.getuid?.() ?? userInfo().username);
  } catch {
    user = 'user';
  }
  return join(tmpdir(), `oauth-platform-sandbox-${user}`);
}

/** The registry folder is somebody else's, or open to others: its records are not to be believed or added to. */
export class RegistryError extends Error {}

/**
 * The registry folder, made private when missing; refused when it is a link, another user's, or open to
 * others. It sits in a shared TMPDIR (/tmp) where any local user could have made it first, and `stop`
 * signals the processes its records name.
 */
export function privateRegistryDir(create: boolean): string | undefined {
  const dir = registryDir();
  if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
  let stat;
  try {
    stat = lstatSync(dir);
  } catch {
    return undefined;
  }
  const fix = `remove it (rm -r ${dir}) and run again, or set TMPDIR to a folder of your own`;
  if (!stat.isDirectory()) throw new RegistryError(`the run registry ${dir} is not a folder (a link?); not using it: ${fix}`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw new RegistryError(`the run registry ${dir} belongs to another user (uid ${stat.uid}); not using it: ${fix}`);
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0)
    throw new RegistryError(`the run registry ${dir} is open to other users (mode ${(stat.mode & 0o777).toString(8)}, expected 700); not using it: ${fix}`);
  return dir;
}

const fileOf = (pid: number, dir: string) => join(dir, `${pid}.json`);

export function writeRecord(record: RunRecord): void {
  const dir = privateRegistryDir(true)!;
  const tmp = join(dir, `.${record.pid}.${Date.now()}.tmp`);
  writeFileSync(tmp, JSON.stringify(record));
  // Readers see the old record or the new one, never half of one.
  renameSync(tmp, fileOf(record.pid, dir));
}

export function removeRecord(pid: number): void {
  const dir = privateRegistryDir(false);
  if (dir) rmSync(fileOf(pid, dir), { force: true });
}

export function readRecord(pid: number): RunRecord | undefined {
  const dir = privateRegistryDir(false);
  if (!dir) return undefined;
  try {
    return JSON.parse(readFileSync(fileOf(pid, dir), 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

/** Every record, newest first; those of processes long gone are deleted on the way. */
export function listRecords(now = Date.now()): RunRecord[] {
  const dir = privateRegistryDir(false);
  if (!dir) return [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const records: RunRecord[] = [];
  for (const name of names) {
    let r: RunRecord;
    try {
      r = JSON.parse(readFileSync(join(dir, name), 'utf8')) as RunRecord;
    } catch {
      continue;
    }
    if (!isAlive(r.pid) && now - (r.endedAt ?? r.startedAt) > KEEP_DEAD_MS) rmSync(join(dir, name), { force: true });
    else records.push(r);
  }
  return records.sort((a, b) => b.startedAt - a.startedAt);
}

/** The start time of this process (what health's uptime counts from). */
export const processStartedAt = (): number => Math.round(Date.now() - process.uptime() * 1000);
