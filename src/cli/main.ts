import { dispatch } from './command-line.js';
import { fail } from './output/fail.js';

try {
  await dispatch(process.argv.slice(2));
} catch (e) {
  fail(e);
}
