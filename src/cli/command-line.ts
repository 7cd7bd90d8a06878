import { parseStartFast } from './commands/fast-start.js';
import { runStart } from './commands/start.js';
import { fail } from './output/fail.js';
import { type Terminal, withTerminal } from './output/terminal.js';

/** `sandbox <argv>`: a plain start takes the fast path (no yargs), everything else the full CLI. */
export async function dispatch(argv: string[]): Promise<void> {
  const fast = parseStartFast(argv);
  if (fast) await runStart(fast);
  else await (await import('./commands/program.js')).runCli(argv);
}

/**
 * The command line inside this process, for tests of its argument layer: parsing, the checks of every
 * option's value, help, and the messages of a mistake, written to `io` where the CLI writes to stdout and
 * stderr; resolves to the exit code instead of exiting. What a command does once its arguments pass
 * (serving, writing files) runs as in the real process; spawned tests cover that. One run at a time:
 * the output format (--log-format) is the process's.
 */
export function runCommandLine(argv: string[], io: Terminal): Promise<number> {
  return withTerminal(io, async () => {
    try {
      await dispatch(argv);
    } catch (e) {
      fail(e);
    }
  });
}
