import { readFileSync } from 'node:fs';

/** "pid (comm) state ppid …" after the command name, which may hold spaces and parentheses: it ends at the last ")". */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Linux keeps an exited process as a zombie until its parent reaps it; init may take seconds to, a container's PID 1 never. */
function zombie(pid: number): boolean {
  return process.platform === 'linux' && statFields(pid)?.[0] === 'Z';
}

/** Linux: when the process started, in clock ticks since boot (/proc/<pid>/stat field 22); tells a reused pid apart. */
export function processStartTicks(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** Whether the process runs: it exists (ours or another user's) and has not exited (a zombie has). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists, it is someone else's.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !zombie(pid);
}
