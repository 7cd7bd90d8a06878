import { OPTION_RANGES } from '../../core/config/option-ranges.js';

const whole = (range: { min: number; max: number }, unit: string) => ({ type: 'integer', min: range.min, max: range.max, unit }) as const;

/**
 * One definition per command-line option. From it come the yargs options (help text), the start fast
 * path's parser, the environment variable (SANDBOX_<NAME>), the key in sandbox.config.json and that
 * file's JSON Schema, and the message for a bad value: the five cannot drift apart.
 */

export type OptionKind =
  | { type: 'port' }
  | { type: 'integer'; min: number; max?: number; unit: string }
  | { type: 'string' }
  | { type: 'boolean' }
  | { type: 'choice'; choices: readonly string[] }
  /** A file or folder; relative to the working directory, or to the config file that names it. */
  | { type: 'path'; mustExist?: 'file' | 'dir' }
  /** Several values: repeat the flag, a JSON array in the config file, commas in the environment variable. */
  | { type: 'list'; of: 'path' | 'scenario' | 'string'; mustExist?: 'dir' };

export interface OptionSpec {
  kind: OptionKind;
  describe: string;
  default?: string | number | boolean | readonly string[];
  /** What --help shows as the default when it is not a plain value. */
  defaultText?: string;
  alias?: string;
  /** Also read from SANDBOX_<NAME> and from the config file (default true). Command-local knobs say false. */
  configurable?: boolean;
  /** Left out of --help (internal plumbing). */
  hidden?: boolean;
}

export type OptionTable = Record<string, OptionSpec>;

export const ENV_PREFIX = 'SANDBOX_';
export const CONFIG_FILE = 'sandbox.config.json';

export const envName = (option: string): string => `${ENV_PREFIX}${option.toUpperCase().replace(/-/g, '_')}`;

export const isConfigurable = (spec: OptionSpec): boolean => spec.configurable !== false;

/** How the sandbox is reached: every command that talks to a running sandbox shares these. */
export const addressOptions = {
  port: { kind: { type: 'port' }, default: 8848, describe: 'Port of the sandbox; 0 picks a free one (then see --port-file)' },
  host: {
    kind: { type: 'string' },
    default: '127.0.0.1',
    describe: 'Address of the sandbox; 0.0.0.0 exposes it to other machines (the control plane then needs the admin token)',
  },
  'port-file': { kind: { type: 'path' }, describe: 'File holding the port (written by sandbox start once listening, removed when it stops)' },
  'pid-file': { kind: { type: 'path' }, describe: 'File holding the process id (written by sandbox start when it begins, removed when it stops)' },
} satisfies OptionTable;

/** The options of `sandbox start`: everything the config file and the SANDBOX_* variables can hold. */
export const startOptions = {
  ...addressOptions,
  'https-port': { kind: { type: 'port' }, describe: 'Also serve HTTPS on this port (HTTP stays on --port); implies --tls unless --tls-cert is given' },
  tls: {
    kind: { type: 'boolean' },
    default: false,
    describe: 'Serve HTTPS on --port with a self-signed certificate made once and kept (its path, fingerprint and how to trust it are printed)',
  },
  'tls-cert': { kind: { type: 'path', mustExist: 'file' }, describe: 'Your own certificate (PEM; with --tls-key) instead of the self-signed one' },
  'tls-key': { kind: { type: 'path', mustExist: 'file' }, describe: 'The private key (PEM) of --tls-cert' },
  'admin-token': {
    kind: { type: 'string' },
    describe:
      'Token the control plane requires (Authorization: Bearer, X-Sandbox-Admin-Token, or ?token= once in a browser); made up and printed when --host is not loopback',
  },
  detach: {
    kind: { type: 'boolean' },
    default: false,
    describe: 'Run in the background: return once ready (exit 0, URL and pid printed) or failed (exit 1, the error printed); stop it with "sandbox stop"',
  },
  'log-file': { kind: { type: 'path' }, defaultText: 'sandbox.log', describe: 'With --detach: where the output goes' },
  db: { kind: { type: 'path' }, describe: 'Keep tokens and state in this JSON file (lowdb) so they survive restarts; in memory when absent' },
  seed: { kind: { type: 'string' }, describe: 'Seed for generated codes and tokens, for repeatable runs' },
  'log-format': {
    kind: { type: 'choice', choices: ['pretty', 'json'] as const },
    default: 'pretty',
    describe: 'Lines for people, or JSON lines for machines (everything, the start banner included, is then one JSON object per line)',
  },
  quiet: { kind: { type: 'boolean' }, default: false, describe: 'Only print the banner, warnings and errors (no per-request lines)' },
  'body-limit': {
    kind: whole(OPTION_RANGES.bodyLimit, 'bytes'),
    default: 1024 * 1024,
    describe: 'Largest request body accepted, in bytes (larger gets 413 in the platform shape)',
  },
  'journal-size': { kind: whole(OPTION_RANGES.journalSize, 'requests'), default: 1000, describe: 'How many recent requests GET /__sandbox/requests keeps' },
  watch: {
    kind: { type: 'boolean' },
    default: false,
    describe: 'Reload --fixtures files and scenario files when they change, keeping issued tokens (a bad edit is reported and the previous world kept)',
  },
  fixtures: {
    kind: { type: 'list', of: 'path' },
    default: [],
    describe: 'Fixture file or directory (all *.json inside) laid over the built-in fixtures; repeatable',
  },
  'builtin-fixtures': {
    kind: { type: 'boolean' },
    default: true,
    describe: 'Load the fixtures shipped with the package first (--no-builtin-fixtures to start from your files only)',
  },
  scenario: {
    kind: { type: 'list', of: 'scenario' },
    default: [],
    describe:
      'Scenario active from the start: a built-in name (expiry-fast, rotation-strict, flaky, ...) or a path to a .json file; repeatable, later ones win field by field',
  },
  'scenarios-dir': {
    kind: { type: 'list', of: 'path', mustExist: 'dir' },
    default: [],
    describe: 'Folder of your own scenario files, found by name (also by PUT /__sandbox/scenario) before the built-in ones; repeatable',
  },
  store: {
    kind: { type: 'string' },
    default: 'memory',
    describe: 'Where state lives: memory (this process) or a Redis URL (redis://host:6379/0) that every sandbox process started with it shares',
  },
  'store-prefix': {
    kind: { type: 'string' },
    default: 'sandbox:',
    describe: 'Prefix of every key written to a shared store, so several sandboxes can share one Redis',
  },
  workers: {
    kind: whole(OPTION_RANGES.workers, 'processes'),
    default: 1,
    describe: 'Serve with this many worker processes on one port, sharing state through --store redis://…',
  },
  // Against hostile input: who may reach the control plane, and the caps (docs/reliability.md lists them).
  'allowed-hosts': {
    kind: { type: 'list', of: 'string' },
    default: [],
    describe:
      'Host names the control plane answers to besides localhost, *.localhost, IP addresses and --host (".example.com": it and its subdomains; "all": any); others get 403, against DNS rebinding',
  },
  'max-sessions': {
    kind: whole(OPTION_RANGES.maxSessions, 'sessions'),
    default: 1000,
    describe: 'Sessions open at once (POST /__sandbox/sessions beyond it gets 429)',
  },
  'max-faults': {
    kind: whole(OPTION_RANGES.maxFaults, 'rules'),
    default: 1000,
    describe: 'Fault rules armed one by one per world (POST /__sandbox/faults beyond it gets 429)',
  },
  'max-connections': {
    kind: whole(OPTION_RANGES.maxConnections, 'connections'),
    defaultText: 'the open-file limit less 100, at most 10000',
    describe: 'Connections open at once; more are closed at once',
  },
  'db-repair': {
    kind: { type: 'boolean' },
    default: false,
    describe: 'With --db: start from a damaged state file, keeping a copy of it and salvaging what can be read (without it, start-up refuses)',
  },
} satisfies OptionTable;

/** Where the other options may come from; itself a flag or an environment variable only. */
export const configOption = {
  config: {
    kind: { type: 'path', mustExist: 'file' },
    defaultText: `./${CONFIG_FILE} if present`,
    describe: 'Read options from this JSON file (keys are the option names, as in --help)',
  },
} satisfies OptionTable;

/** The value an option holds once read: what its kind parses to. */
type ValueOf<K extends OptionKind> = K extends { type: 'port' | 'integer' }
  ? number
  : K extends { type: 'boolean' }
    ? boolean
    : K extends { type: 'choice'; choices: readonly (infer C)[] }
      ? C
      : K extends { type: 'list' }
        ? string[]
        : string;

/** Options with a default are always there; the others only when given. Derived, so a new option cannot be forgotten here. */
type SettingsOf<T extends OptionTable> = { -readonly [N in keyof T as T[N] extends { default: unknown } ? N : never]: ValueOf<T[N]['kind']> } & {
  -readonly [N in keyof T as T[N] extends { default: unknown } ? never : N]?: ValueOf<T[N]['kind']>;
};

export type StartSettings = SettingsOf<typeof startOptions>;
