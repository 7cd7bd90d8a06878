import { parseStartFast } from '../../src/cli/fast-start.js';

describe('sandbox start without yargs (the start-up fast path)', () => {
  test('plain options parse to what yargs would give the start handler, defaults included', () => {
    const args = parseStartFast(['start', '--port', '0', '--fixtures', 'a', '--fixtures=b', '--quiet', '--log-format', 'json', '--scenario', 'flaky']);
    expect(args).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      fixtures: ['a', 'b'],
      'builtin-fixtures': true,
      quiet: true,
      'log-format': 'json',
      'body-limit': 1048576,
      'journal-size': 1000,
      scenario: ['flaky'],
      'scenarios-dir': [],
      watch: false,
    });
  });

  test.each([
    [['start', '--help']],
    [['start', '--no-builtin-fixtures']],
    [['start', '--prot', '0']],
    [['start', '--port', 'eighty']],
    [['start', '--log-format', 'xml']],
    [['start', '--fixtures', 'a', 'b']],
    [['validate', 'x.json']],
    [[]],
  ])('%j goes to yargs, which owns help and every error message', (argv) => {
    expect(parseStartFast(argv)).toBeUndefined();
  });
});
