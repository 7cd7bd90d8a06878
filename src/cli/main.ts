import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ScenarioNotFound } from '../core/scenarios/loader.js';
import { formatIssue, LoadError } from '../core/validation.js';
import { VERSION } from '../sandbox.js';
import { exportCommand } from './export.js';
import { healthCommand } from './health.js';
import { keysCommand } from './keys.js';
import { signCommand } from './sign.js';
import { startCommand } from './start.js';
import { validateCommand } from './validate.js';

/** One problem is one line, saying what and where; several are counted first, then listed one per line. */
function loadErrorText(e: LoadError): string {
  if (e.issues.length !== 1) return `invalid fixture or scenario (${e.issues.length} problems):\n${e.message}`;
  return e instanceof ScenarioNotFound ? e.issues[0].message : `invalid fixture or scenario: ${formatIssue(e.issues[0])}`;
}

function fail(e: unknown): never {
  const text = e instanceof LoadError ? loadErrorText(e) : (e as Error)?.message ?? String(e);
  process.stderr.write(`sandbox: ${text}\n`);
  process.exit(1);
}

try {
  await yargs(hideBin(process.argv))
    .scriptName('sandbox')
    .usage('$0 <command> [options]\n\nA protocol-compatible mock of the Mantun, UserCenter, SOP and ZJRC OAuth platforms.')
    .command(startCommand)
    .command(validateCommand)
    .command(healthCommand)
    .command(keysCommand)
    .command(exportCommand)
    .command(signCommand)
    .demandCommand(1, 'Name a command: start or validate (see --help).')
    .strict()
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err, y) => {
      if (err) fail(err);
      process.stderr.write(`${y.help() && ''}sandbox: ${msg}\nRun "sandbox --help" for usage.\n`);
      process.exit(2);
    })
    .parseAsync();
} catch (e) {
  fail(e);
}
