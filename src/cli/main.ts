import { fail } from './output/fail.js';
import { parseStartFast } from './commands/fast-start.js';
import { runStart } from './commands/start.js';

const argv = process.argv.slice(2);
const fast = parseStartFast(argv);
try {
  if (fast) await runStart(fast);
  else await (await import('./commands/program.js')).runCli(argv);
} catch (e) {
  fail(e);
}
