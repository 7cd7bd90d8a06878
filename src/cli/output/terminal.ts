import { AsyncLocalStorage } from 'node:async_hooks';

/** Where the command line writes: the process's own streams, or those given to an in-process run. */
export interface Terminal {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * How an in-process run ends where the command line would exit the process: the exit code travels up as
 * this, so that the process hosting the run (a test runner) keeps running.
 */
export class CommandLineExit extends Error {
  constructor(readonly code: number) {
    super(`the command line ended with exit code ${code}`);
    this.name = 'CommandLineExit';
  }
}

interface InProcessRun extends Terminal {
  exitCode: number;
}

// Per run, not a module-wide switch: an in-process run and the process's own output may interleave.
const runs = new AsyncLocalStorage<InProcessRun>();

export const terminal = (): Terminal => runs.getStore() ?? process;

/** Leave the command line now with this code: the process exits, an in-process run returns it. */
export function exitNow(code: number): never {
  if (runs.getStore()) throw new CommandLineExit(code);
  process.exit(code);
}

/** The code to exit with once the command has finished (the process's `exitCode`, or the in-process run's). */
export function setExitCode(code: number): void {
  const run = runs.getStore();
  if (run) run.exitCode = code;
  else process.exitCode = code;
}

export const inProcess = (): boolean => runs.getStore() !== undefined;

/** Run `body` with `io` as its terminal; resolves to the exit code it ended with. */
export async function withTerminal(io: Terminal, body: () => Promise<void>): Promise<number> {
  const run: InProcessRun = { stdout: io.stdout, stderr: io.stderr, exitCode: 0 };
  return runs.run(run, async () => {
    try {
      await body();
      return run.exitCode;
    } catch (e) {
      if (e instanceof CommandLineExit) return e.code;
      throw e;
    }
  });
}
