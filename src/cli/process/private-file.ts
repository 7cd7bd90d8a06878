import { closeSync, constants, fchmodSync, openSync, writeSync } from 'node:fs';
import { UsageError } from '../../core/errors/usage-error.js';

const { O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW } = constants;

/**
 * Open a file the sandbox writes (its log, pid and port files) for writing from the start, never through a
 * symbolic link: a link planted where the file goes (sandbox.log → ~/.bashrc) would otherwise have the
 * sandbox overwrite its target. The log holds the admin token, so it is readable by its owner only
 * (`mode`), also when an earlier run left it readable by others.
 */
export function openOwnFile(path: string, what: string, mode = 0o600): number {
  let fd: number;
  try {
    fd = openSync(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK')
      throw new UsageError(`${what} ${path} is a symbolic link; the sandbox does not write through links: remove it, or name another file`);
    throw new UsageError(`${what} ${path}: cannot write it (${code ?? (e as Error).message})`);
  }
  fchmodSync(fd, mode);
  return fd;
}

/** Write `text` as the whole of a file the sandbox owns (see openOwnFile). */
export function writeOwnFile(path: string, what: string, text: string, mode = 0o600): void {
  const fd = openOwnFile(path, what, mode);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
