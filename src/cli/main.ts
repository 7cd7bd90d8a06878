import { fail } from './output/fail.js';
import { parseStartFast, startFast } from './commands/fast-start.js';

const argv = process.argv.slice(2);
const fast = parseStartFast(argv);
try {
  if (fast) await startFast(fast);
  else await (await import('./commands/program.js')).runCli(argv);
} catch (e) {
  fail(e);
}
