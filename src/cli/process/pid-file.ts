import { existsSync, readFileSync } from 'node:fs';
import { isAlive, readRecord } from './run-registry.js';
import { UsageError } from '../../core/errors/usage-error.js';

/** A --pid-file that names a sandbox still running would be lost: refuse, and say how to stop that one. */
export function checkPidFile(pidFile: string | undefined): void {
  if (!pidFile || !existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const record = Number.isInteger(pid) && isAlive(pid) ? readRecord(pid) : undefined;
  if (record)
    throw new UsageError(
      `a sandbox started from ${pidFile} is still running (pid ${pid}${record.url ? `, ${record.url}` : ''}); stop it first with "sandbox stop${pidFile.endsWith('.sandbox.pid') ? '' : ` --pid-file ${pidFile}`}"`,
    );
}
