import type { Options } from 'yargs';

/**
 * Fixture options for the commands that read fixtures without serving them (sign, keys). `sandbox
 * start` takes the same two from its option table (option-spec.ts), which also reads them from the
 * environment and the config file.
 */
export const fixtureOptions = {
  fixtures: {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'Fixture file or directory (all *.json inside) laid over the built-in fixtures; repeatable',
  },
  'builtin-fixtures': {
    type: 'boolean',
    default: true,
    describe: 'Load the fixtures shipped with the package first (--no-builtin-fixtures to start from your files only)',
  },
} satisfies Record<string, Options>;
