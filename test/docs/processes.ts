import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Real processes for the docs test: each runs in a process group of its own, so a command that starts
 * others (bash → npx → node) is ended whole, by the id of the process this file started, and nothing else.
 */

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The command did not end within its time and was ended. */
  timedOut: boolean;
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  input?: string;
}

/** End a process group this test started (its leader's pid), and wait until the leader has gone. */
export async function endGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, signal);
  } catch {
    return; // already gone
  }
  await gone;
}

export function run(command: string, args: string[], opts: RunOptions): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    const timer = setTimeout(() => {
      timedOut = true;
      void endGroup(child, 'SIGKILL');
    }, opts.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A port nobody listens on right now (the OS picks it), for a server the docs start themselves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Poll `ready` until it answers true, the `failed` check says why it never will, or the time is up. */
export async function waitFor(what: string, ready: () => Promise<boolean>, failed: () => string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = failed();
    if (why !== undefined) throw new Error(`${what}: ${why}`);
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True once GET <base>/__sandbox/health answers 200. */
export async function healthy(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/__sandbox/health`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** A long-running process (a sandbox) with its output so far. */
export interface Background {
  child: ChildProcess;
  output(): string;
  /** Why it is not running any more, if it is not. */
  ended(): string | undefined;
  stop(): Promise<void>;
}

export function background(command: string, args: string[], opts: Omit<RunOptions, 'timeoutMs' | 'input'>): Background {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (out += s));
  return {
    child,
    output: () => out,
    ended: () => (child.exitCode !== null || child.signalCode !== null ? `ended (${child.exitCode ?? child.signalCode}) with output:\n${out}` : undefined),
    stop: () => endGroup(child),
  };
}
