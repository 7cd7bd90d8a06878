import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { onFailure } from '../output/fail.js';
import type { StartSettings } from '../options/option-spec.js';
import { DETACHED_LOG_ENV, tellParent as tell } from './detached-child.js';
import { checkPidFile } from './pid-file.js';
import { writeOwnFile } from './private-file.js';
import { processStartedAt, writeRecord, type RunRecord } from './run-registry.js';
import { tellPrimary } from './workers.js';

/** This process's part in a run: its record, the files it writes, and whether it is one of several workers. */
export interface Run {
  /** The port the primary chose, when this process is a worker (which writes no record and no files). */
  worker?: number;
  record: RunRecord;
  portFile?: string;
  /** Removes the pid and port files. */
  cleanUp(): void;
}

/** The run record and the pid file are written before anything can fail, so that a failure is recorded with its reason. */
export function beginRun(s: StartSettings, worker: number | undefined): Run {
  const portFile = worker === undefined ? s['port-file'] && resolve(s['port-file']) : undefined;
  const pidFile = worker === undefined ? s['pid-file'] && resolve(s['pid-file']) : undefined;
  checkPidFile(pidFile);
  const record: RunRecord = {
    pid: process.pid,
    startedAt: processStartedAt(),
    state: 'starting',
    cwd: process.cwd(),
    host: s.host,
    port: s.port,
    portFile,
    pidFile,
    logFile: process.env[DETACHED_LOG_ENV],
  };
  if (worker === undefined) writeRecord(record);
  let wrote = false;
  // Only files this run wrote are removed: a link it refused to write through stays as it was.
  const cleanUp = () => {
    if (!wrote) return;
    if (pidFile) rmSync(pidFile, { force: true });
    if (portFile) rmSync(portFile, { force: true });
  };
  onFailure((message) => {
    if (worker !== undefined) return tellPrimary({ failed: message });
    writeRecord({ ...record, state: 'failed', error: message, endedAt: Date.now() });
    cleanUp();
    tell({ type: 'failed', message });
  });
  if (pidFile) writeOwnFile(pidFile, '--pid-file', `${process.pid}\n`);
  wrote = true;
  // A port file left by an earlier run must not tell a waiting script the wrong port.
  if (portFile) rmSync(portFile, { force: true });
  return { worker, record, portFile, cleanUp };
}
