import type { SandboxOptions } from './sandbox-options.js';

/**
 * The options of the sandbox, one row each. From a row come the yargs option (help text), the start
 * fast path's parser, the environment variable (SANDBOX_<NAME>), the key in sandbox.config.json and
 * that file's JSON Schema, the message for a bad value, and, for a row that `sets` a SandboxOptions
 * field, the in-process API's default and range for it (sandbox-options.ts, limits.ts) and what
 * `sandbox start` passes to Sandbox.create. A new option is one row here and one field in SandboxOptions.
 * Plain data with no imports but types: the CLI's fast start path reads it before anything else loads.
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
  /**
   * The SandboxOptions field this option sets; the in-process API takes its default and range from
   * this row. Absent for the options of the process around the sandbox (--detach, --workers, --watch, ...).
   */
  sets?: keyof SandboxOptions;
  /** How the value is handed to that field when it is not as read (the compiler checks the result fits). */
  as?: (value: never) => unknown;
}

export type OptionTable = Record<string, OptionSpec>;

export const CONFIG_FILE = 'sandbox.config.json';
/** The default in-memory store, and the key prefix of a shared one. */
export const MEMORY_STORE = 'memory';
export const DEFAULT_STORE_PREFIX = 'sandbox:';

const whole = (min: number, max: number, unit: string) => ({ type: 'integer', min, max, unit }) as const;

/** How the sandbox is reached: every command that talks to a running sandbox shares these. */
export const addressOptions = {
  port: { sets: 'port', kind: { type: 'port' }, default: 8848, describe: 'Port of the sandbox; 0 picks a free one (then see --port-file)' },
  host: {
    sets: 'host',
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
  'https-port': {
    sets: 'httpsPort',
    kind: { type: 'port' },
    describe: 'Also serve HTTPS on this port (HTTP stays on --port); implies --tls unless --tls-cert is given',
  },
  tls: {
    kind: { type: 'boolean' },
    default: false,
    describe:
      'Serve HTTPS on --port with a certificate issued by your local CA (made once and kept; the paths, fingerprint and how to trust the CA are printed)',
  },
  'tls-name': {
    kind: { type: 'list', of: 'string' },
    default: [],
    describe:
      'Another name (DNS, *.wildcard or IP) clients reach the sandbox by, added to its certificate besides localhost, loopback, the host name, --host and --allowed-hosts; repeatable; implies --tls',
  },
  'tls-cert': { kind: { type: 'path', mustExist: 'file' }, describe: 'Your own certificate (PEM; with --tls-key) instead of one from the local CA' },
  'tls-key': { kind: { type: 'path', mustExist: 'file' }, describe: 'The private key (PEM) of --tls-cert' },
  'admin-token': {
    sets: 'adminToken',
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
  db: { sets: 'db', kind: { type: 'path' }, describe: 'Keep tokens and state in this JSON file (lowdb) so they survive restarts; in memory when absent' },
  seed: { sets: 'seed', kind: { type: 'string' }, describe: 'Seed for generated codes and tokens, for repeatable runs' },
  'log-format': {
    sets: 'logFormat',
    kind: { type: 'choice', choices: ['pretty', 'json'] as const },
    default: 'pretty',
    describe: 'Lines for people, or JSON lines for machines (everything, the start banner included, is then one JSON object per line)',
  },
  quiet: { kind: { type: 'boolean' }, default: false, describe: 'Only print the banner, warnings and errors (no per-request lines)' },
  'body-limit': {
    sets: 'bodyLimit',
    kind: whole(1, 2 ** 31 - 1, 'bytes'),
    default: 1024 * 1024,
    describe:
      'Largest request body accepted, in bytes (larger gets 413 in the platform shape); in a multipart upload, the bytes of its fields and part headers',
  },
  'upload-limit': {
    sets: 'uploadLimit',
    kind: whole(1, 2 ** 31 - 1, 'bytes'),
    // Three file parts at SOP's own 10 MB limit, with room for the fields: a part over that limit must reach the platform's answer.
    default: 32 * 1024 * 1024,
    describe:
      'Largest multipart/form-data body accepted, in bytes (larger gets 413 in the platform shape); its file parts are streamed (counted and hashed, never held), its fields count toward --body-limit',
  },
  'journal-size': {
    sets: 'journalSize',
    // Each exchange kept is at most ~32 KiB.
    kind: whole(1, 1_000_000, 'requests'),
    default: 1000,
    describe: 'How many recent requests GET /__sandbox/requests keeps',
  },
  watch: {
    kind: { type: 'boolean' },
    default: false,
    describe: 'Reload --fixtures files and scenario files when they change, keeping issued tokens (a bad edit is reported and the previous world kept)',
  },
  fixtures: {
    sets: 'fixtures',
    kind: { type: 'list', of: 'path' },
    default: [],
    describe: 'Fixture file or directory (all *.json inside) laid over the built-in fixtures; repeatable',
  },
  'builtin-fixtures': {
    sets: 'builtinFixtures',
    kind: { type: 'boolean' },
    default: true,
    describe: 'Load the fixtures shipped with the package first (--no-builtin-fixtures to start from your files only)',
  },
  scenario: {
    sets: 'scenario',
    kind: { type: 'list', of: 'scenario' },
    default: [],
    describe:
      'Scenario active from the start: a built-in name (expiry-fast, rotation-strict, flaky, ...) or a path to a .json file; repeatable, later ones win field by field',
  },
  'scenarios-dir': {
    sets: 'scenarioDirs',
    kind: { type: 'list', of: 'path', mustExist: 'dir' },
    default: [],
    describe: 'Folder of your own scenario files, found by name (also by PUT /__sandbox/scenario) before the built-in ones; repeatable',
  },
  store: {
    sets: 'store',
    kind: { type: 'string' },
    default: MEMORY_STORE,
    describe: 'Where state lives: memory (this process) or a Redis URL (redis://host:6379/0) that every sandbox process started with it shares',
  },
  'store-prefix': {
    sets: 'storePrefix',
    kind: { type: 'string' },
    default: DEFAULT_STORE_PREFIX,
    describe: 'Prefix of every key written to a shared store, so several sandboxes can share one Redis',
  },
  workers: {
    // One machine's worth of processes; more would only contend for the same cores.
    kind: whole(1, 256, 'processes'),
    default: 1,
    describe: 'Serve with this many worker processes on one port, sharing state through --store redis://…',
  },
  // Against hostile input: who may reach the control plane, and the caps (docs/reliability.md lists them).
  'allowed-hosts': {
    sets: 'allowedHosts',
    kind: { type: 'list', of: 'string' },
    // --allowed-hosts a.example,b.example works as the environment variable's commas do.
    as: (hosts: string[]) => hosts.flatMap((h) => h.split(',')).filter(Boolean),
    default: [],
    describe:
      'Host names the control plane answers to besides localhost, *.localhost, IP addresses and --host (".example.com": it and its subdomains; "all": any); others get 403, against DNS rebinding',
  },
  'max-sessions': {
    sets: 'maxSessions',
    kind: whole(1, 1_000_000, 'sessions'),
    default: 1000,
    describe: 'Sessions open at once (POST /__sandbox/sessions beyond it gets 429)',
  },
  'max-faults': {
    sets: 'maxFaults',
    kind: whole(1, 1_000_000, 'rules'),
    default: 1000,
    describe: 'Fault rules armed one by one per world (POST /__sandbox/faults beyond it gets 429)',
  },
  'max-connections': {
    sets: 'maxConnections',
    kind: whole(1, 1_000_000, 'connections'),
    defaultText: 'the open-file limit less 100, at most 10000',
    describe: 'Connections open at once; more are closed at once',
  },
  'max-connections-per-client': {
    sets: 'maxConnectionsPerClient',
    kind: whole(1, 1_000_000, 'connections'),
    defaultText: 'half of --max-connections',
    describe: 'Connections one client address (an IPv6 /64) may hold open at once; more from it are closed at once, so no one client fills the cap',
  },
  // Pass-through to the real platforms (docs/parity.md).
  upstream: {
    sets: 'upstream',
    kind: { type: 'list', of: 'string' },
    default: [],
    describe: 'Forward a platform to the real one and hand its answers back unchanged: <platform>=<base URL>, e.g. mantun=https://open.snd02.com; repeatable',
  },
  'upstream-ca': {
    sets: 'upstreamCa',
    // Read (and its absence reported) when the pass-through opens, as the in-process API's upstreamCa is.
    kind: { type: 'path' },
    describe: 'With --upstream: a CA certificate (PEM) to trust besides the system ones (certificates are always verified)',
  },
  'upstream-timeout': {
    sets: 'upstreamTimeout',
    kind: whole(1, 600_000, 'ms'),
    default: 30_000,
    describe: 'With --upstream: milliseconds for a whole forwarded exchange; past it the client gets the platform\'s "system busy" answer',
  },
  record: {
    sets: 'record',
    kind: { type: 'path' },
    describe: 'With --upstream: append every forwarded exchange to this file (JSON lines, secrets masked; docs/parity.md)',
  },
  shadow: {
    sets: 'shadow',
    kind: { type: 'boolean' },
    default: false,
    describe:
      'With --upstream: answer each forwarded exchange in a shadow sandbox too (the client still gets the real answer) and list the differences in GET /__sandbox/parity',
  },
  'db-repair': {
    sets: 'dbRepair',
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

/** What a row hands to its SandboxOptions field: the value as read, or what `as` makes of it. */
type Handed<R> = R extends { as: (value: never) => infer T } ? T : R extends { kind: infer K extends OptionKind } ? ValueOf<K> : never;
/** The rows whose value does not fit the field they set; a row listed here is a compile error below. */
type Misfits<T extends OptionTable> = {
  [N in keyof T]: T[N] extends { sets: infer F extends keyof SandboxOptions } ? (Handed<T[N]> extends NonNullable<SandboxOptions[F]> ? never : N) : never;
}[keyof T];
/** Compiles only when every row's value fits its field (`sets: 'bodyLimit'` on a text option would name the row here). */
export type OptionFieldsFit = [Misfits<typeof startOptions>] extends [never] ? true : { misfits: Misfits<typeof startOptions> };
true satisfies OptionFieldsFit;

/** The rows that set a SandboxOptions field, by that field. */
export const rowsBySandboxField: ReadonlyMap<keyof SandboxOptions, { option: string; spec: OptionSpec }> = new Map(
  Object.entries(startOptions as OptionTable).flatMap(([option, spec]) => (spec.sets ? [[spec.sets, { option, spec }] as const] : [])),
);

/** The in-process default of a field the table sets: its row's default, as handed to the field (a fresh array each time). */
export function tableDefault<K extends keyof SandboxOptions>(field: K): SandboxOptions[K] {
  const row = rowsBySandboxField.get(field);
  const value = row?.spec.default;
  if (value === undefined) return undefined as SandboxOptions[K];
  const copy = Array.isArray(value) ? [...(value as readonly string[])] : value;
  return (row!.spec.as ? row!.spec.as(copy as never) : copy) as SandboxOptions[K];
}
