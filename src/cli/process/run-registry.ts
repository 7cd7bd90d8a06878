import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

const fileOf = (pid: number, dir = registryDir()) => join(dir, `${pid}.json`);

export function writeRecord(record: RunRecord): void {
  const dir = registryDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${record.pid}.${Date.now()}.tmp`);
  writeFileSync(tmp, JSON.stringify(record));
  // Readers see the old record or the new one, never half of one.
  renameSync(tmp, fileOf(record.pid, dir));
}

export function removeRecord(pid: number): void {
  rmSync(fileOf(pid), { force: true });
}

export function readRecord(pid: number): RunRecord | undefined {
  try {
    return JSON.parse(readFileSync(fileOf(pid), 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

/** Every record, newest first; those of processes long gone are deleted on the way. */
export function listRecords(now = Date.now()): RunRecord[] {
  const dir = registryDir();
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
