import type { OptionSpec } from '../../core/config/option-table.js';

/**
 * The command line's side of the option table (core/config/option-table.ts): where else an option
 * is read from. The table itself is re-exported so that the CLI names it in one place.
 */
export {
  addressOptions,
  configOption,
  CONFIG_FILE,
  startOptions,
  type OptionKind,
  type OptionSpec,
  type OptionTable,
  type StartSettings,
} from '../../core/config/option-table.js';

export const ENV_PREFIX = 'SANDBOX_';

export const envName = (option: string): string => `${ENV_PREFIX}${option.toUpperCase().replace(/-/g, '_')}`;

export const isConfigurable = (spec: OptionSpec): boolean => spec.configurable !== false;
