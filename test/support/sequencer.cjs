const Sequencer = require('@jest/test-sequencer').default;

/**
 * Jest's own order (failed first, then slowest by the last run's times, then largest), except that the image
 * test starts first: on a fresh CI machine it builds a base image and the image (minutes) while the other
 * worker runs everything else; started last, as a fresh machine's order by file size may put it, it would
 * add its whole length to the run.
 */
class ContainerFirst extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    const first = (t) => (t.path.includes('/test/container/') ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

module.exports = ContainerFirst;
