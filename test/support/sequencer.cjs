const { readFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = join(__dirname, '..', '..');

/**
 * Seconds per test file from a whole run of the suite (test/support/durations.json, paths from the
 * repository's root). A fresh machine (CI) has no times of its own, and Jest's fallback order, by file
 * size, started the longest files (the packaging install and type checks, 1 000 concurrent exchanges)
 * near the end, where each added its whole length to the run.
 * Refresh it from `jest --json --outputFile=run.json` with test/support/durations.cjs.
 */
function knownDurations() {
  try {
    return JSON.parse(readFileSync(join(__dirname, 'durations.json'), 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Jest's own order (failed first, then slowest by this machine's last run, then largest), with the
 * committed times where this machine has none, and the image test first: on a fresh CI machine it
 * builds a base image and the image (minutes) while the other worker runs everything else.
 */
class SlowFirst extends Sequencer {
  constructor(...args) {
    super(...args);
    this.known = knownDurations();
  }

  time(test) {
    const own = super.time(test);
    if (own !== undefined && own !== null) return own;
    const seconds = this.known[relative(ROOT, test.path).split('\\').join('/')];
    return seconds === undefined ? undefined : seconds * 1000;
  }

  async sort(tests) {
    const sorted = await super.sort(tests);
    const first = (t) => (t.path.includes('/test/container/') ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

module.exports = SlowFirst;
