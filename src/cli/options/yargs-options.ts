import type { Options } from 'yargs';
import { envName, isConfigurable, startOptions, type OptionSpec, type OptionTable } from './option-spec.js';

const defaultText = (spec: OptionSpec): string | undefined => {
  if (spec.defaultText) return spec.defaultText;
  if (spec.default === undefined || (Array.isArray(spec.default) && spec.default.length === 0)) return undefined;
  return Array.isArray(spec.default) ? spec.default.join(', ') : String(spec.default);
};

/**
 * yargs only parses and prints help: it gets no defaults, so an option it leaves out is one the user
 * did not give, and the environment and the config file can fill it (settings.ts). Every value is
 * read as text (numbers too) so that a bad one is reported as typed, not as NaN.
 */
export function yargsOptions(table: OptionTable): Record<string, Options> {
  const out: Record<string, Options> = {};
  for (const [name, spec] of Object.entries(table)) {
    const env = isConfigurable(spec) ? ` [env ${envName(name)}]` : '';
    const o: Options = {
      describe: `${spec.describe}${env}`,
      defaultDescription: defaultText(spec),
      hidden: spec.hidden,
      requiresArg: spec.kind.type !== 'boolean',
    };
    if (spec.alias) o.alias = spec.alias;
    if (spec.kind.type === 'boolean') o.type = 'boolean';
    // Numbers get no yargs type: help would call them [string], and as [number] "abc" would arrive as NaN.
    // The CLI turns yargs's number parsing off (commands/program.ts), so they arrive as typed.
    else if (spec.kind.type !== 'port' && spec.kind.type !== 'integer') o.type = 'string';
    if (spec.kind.type === 'list') o.array = true;
    out[name] = o;
  }
  return out;
}

/** The options yargs parsed that the table knows, as given (kebab-case keys only; yargs adds camelCase twins). */
export function givenFlags(table: OptionTable, argv: Record<string, unknown>): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const name of Object.keys(table)) if (argv[name] !== undefined) given[name] = argv[name];
  return given;
}

/**
 * The fixture rows of the start table for the commands that read fixtures without serving them (sign,
 * keys). They take them from their flags alone, so yargs fills in the defaults, and help names no variable.
 */
export function fixtureFlags(): Record<string, Options> {
  const rows = { fixtures: startOptions.fixtures, 'builtin-fixtures': startOptions['builtin-fixtures'] };
  const out = yargsOptions(Object.fromEntries(Object.entries(rows).map(([name, spec]) => [name, { ...spec, configurable: false }])));
  for (const [name, spec] of Object.entries(rows)) out[name].default = Array.isArray(spec.default) ? [...spec.default] : spec.default;
  return out;
}
