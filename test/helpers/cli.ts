import { spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCommandLine } from '../../src/cli/command-line.js';
import { background, run } from './processes.js';

export const BIN = fileURLToPath(new URL('../../bin/sandbox.js', import.meta.url));

export interface Spawned {
  url: string;
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM and wait; resolves to the exit code. */
  stop: () => Promise<number | null>;
  /** Resolves with the exit code when it ends. */
  exited: Promise<number | null>;
}

/**
 * Run `sandbox <args>` (`start ...`) as a user would and wait for its readiness line (text or JSON). The
 * process stays in the test's group: tests of stop, detach and signals count on what the CLI itself does.
 */
export async function startCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Spawned> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const bg = background(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: opts.env, group: false });
  try {
    const [, url] = await bg.waitFor(/Sandbox ready at (https?:\/\/[^\s"]+)/, timeoutMs);
    return { url, proc: bg.child, output: bg.output, exited: bg.exited, stop: () => (bg.child.kill('SIGTERM'), bg.exited) };
  } catch {
    if (bg.ended()) throw new Error(`sandbox exited with ${bg.child.exitCode} before it was ready; output:\n${bg.output()}`);
    bg.child.kill('SIGKILL');
    throw new Error(`no readiness line within ${timeoutMs} ms; output:\n${bg.output()}`);
  }
}

/** `env` is laid over the test's own environment (SANDBOX_* variables, as a container would set them). */
export function spawnSandbox(args: string[], timeoutMs = 15000, env: Record<string, string> = {}): Promise<Spawned> {
  return startCli(args, { timeoutMs, env: { ...process.env, ...env } });
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `sandbox <args>` in this process: the same dispatch, yargs checks, commands and messages as bin/sandbox.js,
 * written to strings, for milliseconds where a spawned CLI costs a second or two on a loaded machine. Spawned
 * smoke tests hold the real process (its streams, exit codes) to it.
 */
export async function runCliInProcess(args: string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await runCommandLine(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

/** Run a CLI command to completion, blocking: for tests with no in-process server to keep serving. */
export function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run a CLI command without blocking the event loop, for when an in-process sandbox must keep serving meanwhile. */
export async function runCliAsync(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await run(process.execPath, [BIN, ...args], { ...opts, group: false });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Poll until `check` gives a value (not undefined), or fail after `timeoutMs` saying what was awaited. */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
