import yargs from 'yargs';
import { VERSION } from '../../sandbox.js';
import { fail } from '../output/fail.js';
import { compareCommand } from './compare.js';
import { exportCommand } from './export.js';
import { healthCommand } from './health.js';
import { keysCommand } from './keys.js';
import { signCommand } from './sign.js';
import { startCommand } from './start.js';
import { stopCommand } from './stop.js';
import { closest } from '../options/suggest.js';
import { UsageError } from '../../core/errors/usage-error.js';
import { validateCommand } from './validate.js';
import { inProcess, setExitCode, terminal } from '../output/terminal.js';

const COMMANDS = [startCommand, stopCommand, healthCommand, validateCommand, exportCommand, signCommand(), keysCommand, compareCommand];
const NAMES = COMMANDS.map((c) => String(c.command).split(' ')[0]);

/**
 * The options the command being run knows, as typed (--port), for "did you mean". What yargs's fail()
 * passes is its usage object, whose descriptions are those of the command's options.
 */
function knownOptions(usage: unknown): string[] {
  const described = (usage as { getDescriptions?: () => Record<string, string> }).getDescriptions?.() ?? {};
  return Object.keys(described).map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
}

/**
 * yargs's own messages for mistakes, told the way a person needs them: what was wrong, the nearest
 * thing that exists, and where the list of what exists is.
 */
function explain(msg: string, argv: readonly string[], usage: unknown): string {
  const command = NAMES.includes(argv[0]) ? argv[0] : undefined;
  const where = command ? `"sandbox ${command} --help"` : '"sandbox --help"';
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (unknown) {
    const names = unknown[1].split(', ');
    if (!command && names[0] === argv[0]) {
      const guess = closest(argv[0], NAMES);
      return `unknown command "${argv[0]}"${guess ? `; did you mean "sandbox ${guess}"?` : ''} (${where} lists every command)`;
    }
    const options = knownOptions(usage);
    return names
      .map((n) => {
        const typed = n.length === 1 ? `-${n}` : `--${n}`;
        if (!argv.some((a) => a === typed || a.startsWith(`${typed}=`)))
          return `unexpected argument "${n}"${command ? ` for "sandbox ${command}"` : ''} (${where} shows the usage)`;
        const guess = closest(typed, options);
        return `unknown option ${typed}${command ? ` for "sandbox ${command}"` : ''}${guess ? `; did you mean ${guess}?` : ''} (${where} lists every option)`;
      })
      .join('\n');
  }
  const missingValue = /^Not enough arguments following: (.+)$/.exec(msg);
  if (missingValue) return `--${missingValue[1]} needs a value (${where} describes it)`;
  if (/^Not enough non-option arguments/.test(msg) && command === 'validate')
    return 'name the fixture or scenario files (or folders) to check, e.g. "sandbox validate fixtures/"';
  if (/^Not enough non-option arguments/.test(msg) && command === 'compare')
    return 'name the recording to compare, e.g. "sandbox compare mantun.jsonl" (written by "sandbox start --upstream ... --record mantun.jsonl")';
  return `${msg} (${where} shows the usage)`;
}

/** The full CLI: every command, help, and the messages for bad arguments. */
export async function runCli(argv: string[]): Promise<void> {
  const cli = yargs(argv)
    .locale('en')
    // Option values arrive as typed; each command's own checks read numbers (settings.ts).
    .parserConfiguration({ 'parse-numbers': false })
    .scriptName('sandbox')
    .usage('$0 <command> [options]\n\nA protocol-compatible mock of the Mantun, UserCenter, SOP and ZJRC OAuth platforms.')
    .command(COMMANDS as never)
    .strict()
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err, y) => {
      // YError is yargs's own complaint about the arguments; anything else went wrong in a command.
      if (err && err.name !== 'YError') fail(err);
      fail(new UsageError(explain(msg ?? err?.message ?? '', argv, y)));
    });
  try {
    // With no command, what there is to do: the help, which lists every command.
    if (argv.length === 0) {
      terminal().stdout.write(`${await cli.getHelp()}\n`);
      setExitCode(2);
      return;
    }
    // yargs prints help and the version with console.log and then exits the process, unless it is handed
    // a callback: then it collects what it would print and returns. An in-process run takes that way.
    if (inProcess()) await cli.parseAsync(argv, {}, (_err, _parsed, output) => void (output && terminal().stdout.write(`${output}\n`)));
    else await cli.parseAsync();
  } catch (e) {
    fail(e);
  }
}
