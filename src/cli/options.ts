import type { Options } from 'yargs';

/** Options shared by every command that builds a sandbox (start, and later export/validate helpers). */
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

export const serverOptions = {
  port: { type: 'number', default: 8848, describe: 'Port to listen on; 0 picks a free one (printed, and written to --port-file)' },
  host: { type: 'string', default: '127.0.0.1', describe: 'Address to bind; 0.0.0.0 exposes the sandbox to other machines (the control plane then needs the admin token)' },
  'admin-token': { type: 'string', describe: 'Token the control plane requires (Authorization: Bearer, X-Sandbox-Admin-Token, or ?token= once in a browser); made up and printed when --host is not loopback' },
  'port-file': { type: 'string', describe: 'Write the port actually bound to this file once listening' },
  db: { type: 'string', describe: 'Keep tokens and state in this JSON file (lowdb) so they survive restarts; in memory when absent' },
  seed: { type: 'string', describe: 'Seed for generated codes and tokens, for repeatable runs' },
  'log-format': { choices: ['pretty', 'json'] as const, default: 'pretty' as const, describe: 'One line per request for people, or JSON lines for machines' },
  quiet: { type: 'boolean', default: false, describe: 'Only print the banner, warnings and errors (no per-request lines)' },
  'body-limit': { type: 'number', default: 1024 * 1024, describe: 'Largest request body accepted, in bytes (larger gets 413 in the platform shape)' },
  'journal-size': { type: 'number', default: 1000, describe: 'How many recent requests GET /__sandbox/requests keeps' },
  watch: { type: 'boolean', default: false, describe: 'Reload --fixtures files and scenario files when they change, keeping issued tokens (a bad edit is reported and the previous world kept)' },
  // Hostile input (issue 14): who may reach the control plane, and the caps (docs/reliability.md lists them).
  'allowed-hosts': { type: 'string', array: true, default: [] as string[], describe: 'Host names the control plane answers to besides localhost, *.localhost, IP addresses and --host (".example.com": it and its subdomains; "all": any); others get 403, against DNS rebinding' },
  'max-sessions': { type: 'number', default: 1000, describe: 'Sessions open at once (POST /__sandbox/sessions beyond it gets 429)' },
  'max-faults': { type: 'number', default: 1000, describe: 'Fault rules armed one by one per world (POST /__sandbox/faults beyond it gets 429)' },
  'max-connections': { type: 'number', describe: 'Connections open at once (default: the open-file limit less 100, at most 10000); more are closed at once' },
  'db-repair': { type: 'boolean', default: false, describe: 'With --db: start from a damaged state file, keeping a copy of it and salvaging what can be read (without it, start-up refuses)' },
} satisfies Record<string, Options>;

export const scenarioOptions = {
  scenario: {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'Scenario active from the start: a built-in name (expiry-fast, rotation-strict, flaky, ...) or a path to a .json file; repeatable, later ones win field by field',
  },
  'scenarios-dir': {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'Folder of your own scenario files, found by name (also by PUT /__sandbox/scenario) before the built-in ones; repeatable',
  },
} satisfies Record<string, Options>;
