import { readFileSync } from 'node:fs';
import { isAlive } from './process-state.js';

export interface Ancestor {
  pid: number;
  name: string;
}

/** "pid (comm) state ppid …": comm may hold spaces and parentheses, so it ends at the last ")". */
function procStat(pid: number): { name: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? { name, ppid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The parent as this process started. Read when the command line loads, long before the server listens: a
 * starter that ends during start-up (a CI step cancelled, a test runner timing out) has handed this process
 * to init by the time the ancestors are watched, and the chain read then would no longer name it.
 */
const PARENT_AT_START = process.ppid;

/**
 * The processes this one runs under, parent first, up to (not including) init. On Linux the whole
 * chain (npx → sh → node: killing npx must stop node, though sh may outlive it); elsewhere the parent.
 */
export function ancestors(): Ancestor[] {
  const chain: Ancestor[] = [];
  let pid = process.ppid;
  if (process.platform !== 'linux') return pid > 1 ? [{ pid, name: 'parent' }] : [];
  while (pid > 1 && chain.length < 64) {
    const stat = procStat(pid);
    if (!stat) break;
    chain.push({ pid, name: stat.name });
    pid = stat.ppid;
  }
  return chain;
}

function statusField(pid: number, field: string): string | undefined {
  try {
    return new RegExp(`^${field}:\\s+(\\S+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

const SIGINT_BIT = 1n << 1n;
const SIGCHLD_BIT = 1n << 16n;

/**
 * npm (npx, `npm start`) runs this process through `sh -c`, and passes a SIGINT it receives to that shell
 * only: the shell waits for its child before acting on it, so a SIGINT to npx alone (child.kill('SIGINT'),
 * CI wrappers) stopped nothing. Such a shell, asleep in wait() for its one child, wakes only for a signal it
 * catches; one that catches nothing but SIGINT and SIGCHLD (dash, as npm runs it) and wakes while this
 * child runs has received SIGINT. Returns how to read its wake-ups, or undefined when the parent is not such a shell.
 */
function relayingShell(chain: Ancestor[]): (() => number | undefined) | undefined {
  const [shell, npm] = chain;
  if (process.platform !== 'linux' || !shell || !npm || !['sh', 'dash', 'bash'].includes(shell.name) || !npm.name.startsWith('npm')) return undefined;
  const caught = statusField(shell.pid, 'SigCgt');
  if (caught === undefined || BigInt(`0x${caught}`) !== (SIGINT_BIT | SIGCHLD_BIT)) return undefined;
  return () => {
    const woken = statusField(shell.pid, 'voluntary_ctxt_switches');
    return woken === undefined ? undefined : Number(woken);
  };
}

/**
 * Calls `onGone` once when a process this one was started under has ended: the parent (then this one
 * has been handed to init or a subreaper, so its parent pid changes) or any process above it. A
 * foreground `sandbox start` uses it so that stopping whatever started it (kill on npx, child.kill()
 * in a test runner, a CI step that ended) never leaves the server listening. Polls; the timer does
 * not keep the process alive.
 */
export function watchAncestors(onGone: (who: Ancestor) => void, onInterrupted?: (npm: Ancestor) => void, intervalMs = 500): () => void {
  const chain = process.ppid === PARENT_AT_START ? ancestors() : [{ pid: PARENT_AT_START, name: 'the parent process' }];
  if (!chain.length || PARENT_AT_START <= 1) return () => undefined;
  const parent = PARENT_AT_START;
  const wakeups = onInterrupted && relayingShell(chain);
  let baseline = wakeups?.();
  let due = Date.now() + intervalMs;
  const timer = setInterval(() => {
    const dead = process.ppid !== parent ? chain[0] : chain.find((a) => !isAlive(a.pid));
    if (dead) {
      clearInterval(timer);
      onGone(dead);
      return;
    }
    const now = wakeups?.();
    // Late by a whole interval: this process was stopped (the shell woke for SIGCHLD, not SIGINT) or blocked.
    const late = Date.now() > due + intervalMs;
    due = Date.now() + intervalMs;
    if (now === undefined || baseline === undefined || now === baseline || late) {
      baseline = now;
      return;
    }
    clearInterval(timer);
    onInterrupted!(chain[1]);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
