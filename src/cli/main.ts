import { fail } from './fail.js';
import { parseStartFast, startFast } from './fast-start.js';

const argv = process.argv.slice(2);
const fast = parseStartFast(argv);
try {
  if (fast) await startFast(fast);
  else await (await import('./yargs-cli.js')).runCli(argv);
} catch (e) {
  fail(e);
}
