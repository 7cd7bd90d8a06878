import { parseStartFast } from '../../src/cli/commands/fast-start.js';

describe('sandbox start without yargs (the start-up fast path)', () => {
  test('plain options parse to the flags as given; defaults, the environment and the config file come later (settings.ts)', () => {
    const args = parseStartFast([
      'start',
      '--port',
      '0',
      '--fixtures',
      'a',
      '--fixtures=b',
      '--quiet',
      '--log-format',
      'json',
      '--scenario',
      'flaky',
      '--no-builtin-fixtures',
    ]);
    expect(args).toEqual({ port: '0', fixtures: ['a', 'b'], quiet: true, 'log-format': 'json', scenario: ['flaky'], 'builtin-fixtures': false });
  });

  test('bad values are parsed as typed: the same check as on the yargs path reports them', () => {
    expect(parseStartFast(['start', '--port', 'eighty', '--log-format', 'xml'])).toEqual({ port: 'eighty', 'log-format': 'xml' });
  });

  test.each([[['start', '--help']], [['start', '--prot', '0']], [['start', '--no-port']], [['start', '--fixtures', 'a', 'b']], [['validate', 'x.json']], [[]]])(
    '%j goes to yargs, which owns help and the messages for unknown options and stray arguments',
    (argv) => {
      expect(parseStartFast(argv)).toBeUndefined();
    },
  );
});
