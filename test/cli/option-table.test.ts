import { Sandbox } from '../../src/index.js';
import { resolveOptions } from '../../src/core/config/sandbox-options.js';
import { configOption, startOptions, type OptionKind, type OptionSpec, type OptionTable } from '../../src/cli/options/option-spec.js';
import { sandboxOptionsOf, startPlan } from '../../src/cli/options/start-settings.js';
import { UsageError } from '../../src/core/errors/usage-error.js';
import { cli, sandboxEnv } from './support/cli.js';

/**
 * The option table is the one place an option is defined: the rows that set a SandboxOptions field
 * give the in-process API its default and its range, and `sandbox start` hands their values on
 * generically. These tests hold the two sides to each other.
 */

const rows = Object.entries(startOptions as OptionTable);
const settingRows = rows.filter((r): r is [string, OptionSpec & { sets: NonNullable<OptionSpec['sets']> }] => r[1].sets !== undefined);
/** The options of the process around the sandbox: they set no SandboxOptions field, on purpose. */
const PROCESS_ONLY = ['port-file', 'pid-file', 'tls', 'tls-name', 'tls-cert', 'tls-key', 'detach', 'log-file', 'quiet', 'watch', 'workers'];
// Run in the repository, which has a scenarios/ folder and no sandbox.config.json; no SANDBOX_* variable.
const NO_ENV = {};

test('every row sets a SandboxOptions field that Sandbox.create resolves, or is one of the process-only options', () => {
  const resolvedFields = Object.keys(resolveOptions({}));
  for (const [option, spec] of rows) {
    if (spec.sets === undefined) expect({ option, processOnly: PROCESS_ONLY.includes(option) }).toEqual({ option, processOnly: true });
    else expect({ option, resolved: resolvedFields.includes(spec.sets) }).toEqual({ option, resolved: true });
  }
  expect(rows.filter(([, spec]) => spec.sets === undefined).map(([option]) => option)).toEqual(PROCESS_ONLY);
  // Two rows setting one field would make the API's default and range ambiguous.
  const fields = settingRows.map(([, spec]) => spec.sets);
  expect(new Set(fields).size).toBe(fields.length);
  expect(Object.values(configOption as OptionTable).every((spec) => spec.sets === undefined)).toBe(true);
});

test('Sandbox.create takes its defaults from the table: what `sandbox start` resolves with no option given', () => {
  const cli = sandboxOptionsOf(startPlan({}, NO_ENV).settings);
  const api = resolveOptions({}) as unknown as Record<string, unknown>;
  for (const [option, spec] of settingRows) {
    if (spec.default === undefined) continue;
    expect({ option, value: api[spec.sets] }).toEqual({ option, value: (cli as Record<string, unknown>)[spec.sets] });
  }
  expect(api.port).toBe(8848);
  expect(api.maxFaults).toBe(1000);
  expect(api.allowedHosts).toEqual([]);
  // A fresh list each time: one sandbox adding to its fixtures must not change another's.
  expect(resolveOptions({}).fixtures).not.toBe(resolveOptions({}).fixtures);
});

/** A value other than the default, as typed on the command line, for every kind of row that sets a field. */
function typed(option: string, spec: OptionSpec): string | string[] | boolean {
  const k: OptionKind = spec.kind;
  switch (k.type) {
    case 'port':
      return option === 'port' ? '4321' : '4322';
    case 'integer':
      return String(k.min + 1);
    case 'boolean':
      return spec.default !== true;
    case 'choice':
      return k.choices.find((c) => c !== spec.default)!;
    case 'list':
      return k.of === 'scenario' ? ['expiry-fast', 'flaky'] : k.mustExist === 'dir' ? ['scenarios'] : ['a.example,b.example', 'c.example'];
    default:
      return `${option}-value`;
  }
}

test('every value given to `sandbox start` reaches its SandboxOptions field, through the row’s `as` where it has one', () => {
  const given = Object.fromEntries(settingRows.map(([option, spec]) => [option, typed(option, spec)]));
  const { settings } = startPlan(given, NO_ENV);
  const resolved = resolveOptions(sandboxOptionsOf(settings)) as unknown as Record<string, unknown>;
  for (const [option, spec] of settingRows) {
    const read = (settings as Record<string, unknown>)[option];
    expect({ option, value: resolved[spec.sets] }).toEqual({ option, value: spec.as ? spec.as(read as never) : read });
  }
  expect(resolved.allowedHosts).toEqual(['a.example', 'b.example', 'c.example']);
  expect(resolved.bodyLimit).toBe(2);
  expect(resolved.logFormat).toBe('json');
  expect(resolved.builtinFixtures).toBe(false);
  // The process-only options stay with the CLI.
  expect(Object.keys(sandboxOptionsOf({ ...settings, detach: true, workers: 3, watch: true, quiet: true }))).toEqual(settingRows.map(([, s]) => s.sets));
});

const wholeRows = settingRows.filter(([, spec]) => spec.kind.type === 'integer');

test('the whole-number options that set a field are the caps and sizes', () => {
  expect(wholeRows.map(([option]) => option)).toEqual([
    'body-limit',
    'upload-limit',
    'journal-size',
    'max-sessions',
    'max-faults',
    'max-connections',
    'max-connections-per-client',
    'upstream-timeout',
  ]);
});

describe.each(wholeRows)('--%s out of range: refused by `sandbox start` and by Sandbox.create with the same option and range', (option, spec) => {
  const kind = spec.kind as OptionKind & { type: 'integer' };
  test.each([kind.min - 1, kind.max! + 1])('%d', async (value) => {
    let fromCli: unknown;
    try {
      startPlan({ [option]: String(value) }, NO_ENV);
    } catch (e) {
      fromCli = e;
    }
    expect(fromCli).toBeInstanceOf(UsageError);
    const cliText = (fromCli as Error).message;
    const apiText = await Sandbox.create({ port: 0, [spec.sets]: value }).then(
      () => 'started',
      (e: Error) => e.message,
    );
    const range = `from ${kind.min} to ${kind.max}`;
    expect(cliText).toBe(`--${option} ${value}: expected a whole number of ${kind.unit} ${range}`);
    expect(apiText).toBe(`--${option} (${spec.sets}) must be a whole number ${range}, got ${value}.`);
  });
});

test.each([
  ['--max-faults', '1000001', 'sandbox: --max-faults 1000001: expected a whole number of rules from 1 to 1000000\n'],
  ['--workers', '257', 'sandbox: --workers 257: expected a whole number of processes from 1 to 256\n'],
])('spawned: sandbox start %s %s is a usage error that names the range, nothing started', async (flag, value, stderr) => {
  const { env } = sandboxEnv();
  const r = await cli(['start', '--port', '0', flag, value], { env });
  expect(r).toEqual({ code: 2, stdout: '', stderr });
});
