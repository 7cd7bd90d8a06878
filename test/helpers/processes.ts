import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The one way tests run a program: each in a process group of its own (`detached`), so a command that
 * starts others (bash → npx → node, a sandbox and its workers) is ended whole, by the id of the
 * process the test started, and nothing else. `run` waits for the end; `background` keeps it running.
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
  cwd?: string;
  /** The whole environment (default: the test's own). */
  env?: NodeJS.ProcessEnv;
  /** End the group after this long (SIGKILL); default 60 s. */
  timeoutMs?: number;
  /** What the program reads on stdin (default: nothing, stdin closed). */
  input?: string;
  /**
   * A process group of its own (default). false keeps it in the test's group, for tests of what the
   * program itself does with its parent and its group (the CLI's detach, stop and signal tests).
   */
  group?: boolean;
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

/** Run a program to its end, without blocking the event loop (an in-process sandbox keeps serving meanwhile). */
export function run(command: string, args: string[], opts: RunOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, detached: opts.group ?? true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    const timer = setTimeout(() => {
      timedOut = true;
      if (opts.group ?? true) void endGroup(child, 'SIGKILL');
      else child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A long-running process (a sandbox) with its output so far. */
export interface Background {
  child: ChildProcess;
  /** stdout and stderr, interleaved as they came. */
  output(): string;
  /** Why it is not running any more, if it is not. */
  ended(): string | undefined;
  /** Resolves with the exit code when it ends. */
  exited: Promise<number | null>;
  /** SIGTERM to its group (or to it alone, with `group: false`), and wait. */
  stop(): Promise<void>;
  /** Resolves with the first match of `pattern` in the output; rejects if it ends or the time is up first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

export function background(command: string, args: string[], opts: Pick<RunOptions, 'cwd' | 'env' | 'group'> = {}): Background {
  const group = opts.group ?? true;
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, detached: group, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const watchers = new Set<() => void>();
  const heard = (s: string) => {
    out += s;
    for (const w of watchers) w();
  };
  child.stdout?.setEncoding('utf8').on('data', heard);
  child.stderr?.setEncoding('utf8').on('data', heard);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ended = () => (child.exitCode !== null || child.signalCode !== null ? `ended (${child.exitCode ?? child.signalCode}) with output:\n${out}` : undefined);
  return {
    child,
    output: () => out,
    ended,
    exited,
    stop: async () => {
      if (group) return endGroup(child);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        const check = () => {
          const m = pattern.exec(out);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${out}`));
        }, timeoutMs);
        watchers.add(check);
        check();
        void exited.then((code) => {
          if (!watchers.has(check)) return;
          // The last output may come after the exit event.
          setImmediate(() => {
            check();
            if (!watchers.has(check)) return;
            done();
            reject(new Error(`exited with ${code} before ${pattern}; output:\n${out}`));
          });
        });
      }),
  };
}
