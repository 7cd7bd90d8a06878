import yargs from 'yargs';
import { VERSION } from '../sandbox.js';
import { fail } from './fail.js';
import { exportCommand } from './export.js';
import { healthCommand } from './health.js';
import { keysCommand } from './keys.js';
import { signCommand } from './sign.js';
import { startCommand } from './start.js';
import { validateCommand } from './validate.js';

/** The full CLI: every command, help, and the messages for bad arguments. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    await yargs(argv)
      .scriptName('sandbox')
      .usage('$0 <command> [options]\n\nA protocol-compatible mock of the Mantun, UserCenter, SOP and ZJRC OAuth platforms.')
      .command(startCommand)
      .command(validateCommand)
      .command(healthCommand)
      .command(keysCommand)
      .command(exportCommand)
      .command(signCommand())
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
}
