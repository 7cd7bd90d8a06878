import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'sandbox.js');

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
export function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Running {
  url: string;
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
  exited: Promise<number | null>;
}

/** `sandbox start <args>` in the foreground, once it prints its readiness line (text or JSON). */
export function startSandbox(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Running> {
  const proc = spawn(process.execPath, [BIN, 'start', ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Sandbox ready at (https?:\/\/[^\s"]+)/.exec(out);
      if (m) resolve({ url: m[1], proc, output: () => out, exited, stop: () => (proc.kill('SIGTERM'), exited) });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    proc.once('exit', (code) => reject(new Error(`sandbox exited with ${code} before it was ready; output:\n${out}`)));
  });
}

export { eventually } from '../../helpers/cli.js';

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

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
