import { parseArgs, type ParseArgsConfig } from 'node:util';
import { configOption, startOptions } from '../options/option-spec.js';

const TABLE = { ...startOptions, ...configOption };

/**
 * `sandbox start` with plain options runs without loading yargs (~150 ms of start-up on these
 * machines). The option table is the same one yargs gets; anything this path does not fully
 * understand (help, an unknown option, a stray argument) returns undefined and goes to yargs, which
 * owns help and those messages. Values are checked by the same code either way (settings.ts).
 */
export function parseStartFast(argv: readonly string[]): Record<string, unknown> | undefined {
  if (argv[0] !== 'start' || argv.some((a) => a === '-h' || a === '--help' || a === '--version')) return undefined;
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries(TABLE)) config[name] = { type: o.kind.type === 'boolean' ? 'boolean' : 'string', multiple: o.kind.type === 'list' };
  try {
    const { values, positionals } = parseArgs({ args: argv.slice(1), options: config, strict: true, allowPositionals: true, allowNegative: true });
    if (positionals.length) return undefined;
    // --no-<option> exists for the on/off options only; parseArgs would accept it for any.
    for (const [name, value] of Object.entries(values)) if (value === false && TABLE[name as keyof typeof TABLE].kind.type !== 'boolean') return undefined;
    return { ...values };
  } catch {
    return undefined;
  }
}
