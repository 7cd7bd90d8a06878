import { mkdtempSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliAsync, startCli, type Spawned } from '../../helpers/cli.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export { BIN } from '../../helpers/cli.js';

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A folder for one test, and an environment that keeps what the CLI leaves behind in it: the run
 * records (TMPDIR) and the kept certificate (XDG_STATE_HOME). No SANDBOX_* variable leaks in.
 */
export function sandboxEnv(extra: NodeJS.ProcessEnv = {}): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-test-'));
  // Colour settings of whoever runs the tests stay out too: the tests that need them set them. CI counts as
  // one, because Node's hasColors() answers no on a terminal whenever CI is set to a runner it does not know.
  const colour = new Set(['NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS', 'CI']);
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SANDBOX_') && !colour.has(k)));
  return { dir, env: { ...env, TMPDIR: dir, XDG_STATE_HOME: join(dir, 'state'), ...extra } };
}

/** Run `sandbox <args>` to the end, without blocking the event loop. */
export async function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Result> {
  const r = await runCliAsync(args, opts);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export type Running = Spawned;

/** `sandbox start <args>` in the foreground, once it prints its readiness line (text or JSON). */
export const startSandbox = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Running> =>
  startCli(['start', ...args], { ...opts, timeoutMs: 60_000 });

export { eventually } from '../../helpers/cli.js';
export { freePort } from '../../helpers/ports.js';

/** Whether something accepts connections on the port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An exited process waits as a zombie until init reaps it; it no longer runs.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
