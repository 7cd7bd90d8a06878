import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isAlive, processStartTicks } from '../../core/state/process-liveness.js';

export { isAlive };

/** USER_HZ: the unit of /proc start times; 100 on every Linux build Node runs on. */
const TICKS_PER_SECOND = 100;
/** /proc's boot time has whole seconds, and Node's uptime starts a little after the kernel's: what still counts as the same start. */
const START_SLACK_MS = 2500;
const PACKAGE_NAME = 'oauth-platform-sandbox';

function bootTimeMs(): number | undefined {
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return btime ? Number(btime[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** When the process started (epoch ms), as the kernel knows it. */
function startedAtMs(pid: number): number | undefined {
  const ticks = processStartTicks(pid);
  const boot = bootTimeMs();
  return ticks === undefined || boot === undefined ? undefined : boot + (Number(ticks) / TICKS_PER_SECOND) * 1000;
}

function realUid(pid: number): number | undefined {
  try {
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return uid ? Number(uid[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether one of the process's arguments is this package's bin/sandbox.js (through node_modules/.bin links too). */
function runsSandboxCli(pid: number): boolean {
  let args: string[];
  let cwd: string;
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1);
    cwd = readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return false;
  }
  return args.some((arg) => {
    if (arg.startsWith('-') || !/sandbox/.test(arg)) return false;
    try {
      const script = realpathSync(resolve(cwd, arg));
      if (!script.endsWith('/bin/sandbox.js')) return false;
      const pkg = JSON.parse(readFileSync(resolve(dirname(script), '..', 'package.json'), 'utf8')) as { name?: string };
      return pkg.name === PACKAGE_NAME;
    } catch {
      return false;
    }
  });
}

/**
 * Why the process `pid` is not the sandbox a run record (or a pid file) says it is, or undefined when it is:
 * it runs as this user, its command line is this package's CLI, and it started when the record says.
 * A record alone proves nothing: whoever can write one could name any pid. Undefined answers (not
 * Linux) leave the decision to the caller's other checks.
 */
export function notOurSandbox(pid: number, startedAt: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const uid = realUid(pid);
  if (uid === undefined) return `pid ${pid} is not running`;
  if (process.getuid && uid !== process.getuid()) return `pid ${pid} runs as another user (uid ${uid})`;
  if (!runsSandboxCli(pid)) return `pid ${pid} is not a sandbox started with "sandbox start" (its command line is something else)`;
  const started = startedAtMs(pid);
  if (started !== undefined && Math.abs(started - startedAt) > START_SLACK_MS)
    return `pid ${pid} started at ${new Date(started).toISOString()}, not when its record says (${new Date(startedAt).toISOString()}): the pid was reused`;
  return undefined;
}
