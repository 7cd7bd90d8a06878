import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fixtureOptions, scenarioOptions, serverOptions } from './options.js';
import { storeOptions } from './store-options.js';
import { startCommand } from './start.js';

const OPTIONS: Record<string, { type?: string; array?: boolean; default?: unknown; choices?: readonly string[] }> = { ...serverOptions, ...fixtureOptions, ...scenarioOptions, ...storeOptions };

/**
 * `sandbox start` with plain options runs without loading yargs (~150 ms of start-up on these
 * machines). The option table is yargs's own, read here; anything this path does not fully
 * understand (help, --no-*, a bad value, an unknown option) returns undefined and goes to yargs,
 * which owns every message and the help text.
 */
export function parseStartFast(argv: readonly string[]): Record<string, unknown> | undefined {
  if (argv[0] !== 'start' || argv.some((a) => a === '-h' || a === '--help' || a === '--version' || a.startsWith('--no-'))) return undefined;
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries(OPTIONS)) config[name] = { type: o.type === 'boolean' ? 'boolean' : 'string', multiple: o.array === true };
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv.slice(1), options: config, strict: true, allowPositionals: true }));
  } catch {
    return undefined;
  }
  if (positionals.length) return undefined;
  const args: Record<string, unknown> = { _: ['start'], $0: 'sandbox' };
  for (const [name, o] of Object.entries(OPTIONS)) {
    let value = values[name] ?? o.default;
    if (value !== undefined && o.type === 'number') {
      value = Number(value);
      if (!Number.isFinite(value)) return undefined;
    }
    if (value !== undefined && o.choices && !o.choices.includes(value as string)) return undefined;
    args[name] = value;
  }
  return args;
}

export async function startFast(args: Record<string, unknown>): Promise<void> {
  await (startCommand.handler as (a: Record<string, unknown>) => Promise<void>)(args);
}
