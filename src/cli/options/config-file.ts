import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_FILE, isConfigurable, startOptions } from './option-spec.js';
import { didYouMean } from './suggest.js';
import { UsageError } from '../../core/errors/usage-error.js';
import { shownPath } from '../output/shown-path.js';

export interface ConfigFile {
  /** Absolute path; relative paths inside are relative to its folder. */
  path: string;
  /** As it is named in messages (relative to the working directory when inside it). */
  shown: string;
  values: Record<string, unknown>;
}

/** Keys a config file may hold: the options of `sandbox start`, named as on the command line. */
export const CONFIG_KEYS: readonly string[] = Object.entries(startOptions)
  .filter(([, spec]) => isConfigurable(spec))
  .map(([name]) => name);

/** "at position 41" (Node 20) or "(line 3 column 7)" (newer V8) → line and column, counted from 1. */
function where(text: string, message: string): string {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return `line ${lc[1]}, column ${lc[2]}`;
  const pos = /position (\d+)/.exec(message);
  if (!pos) return '';
  const before = text.slice(0, Number(pos[1])).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function parse(path: string, shown: string): Record<string, unknown> {
  const text = readFileSync(path, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const at = where(text, (e as Error).message);
    const what = (e as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new UsageError(`${shown}: not valid JSON${at ? ` at ${at}` : ''}: ${what}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new UsageError(`${shown}: expected a JSON object of options, e.g. {"port": 9000, "fixtures": ["./sandbox-fixtures"]}`);
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === '$schema') continue;
    if (!CONFIG_KEYS.includes(key)) {
      throw new UsageError(
        `${shown}: unknown option "${key}"${didYouMean(key, CONFIG_KEYS, (s) => `"${s}"`)} (the keys are the option names of "sandbox start --help")`,
      );
    }
    values[key] = value;
  }
  return values;
}

/**
 * The config file: the one named by --config or SANDBOX_CONFIG (which must exist), else
 * ./sandbox.config.json when there is one, else none.
 */
export function loadConfigFile(named: { value: string; from: string } | undefined, cwd = process.cwd()): ConfigFile | undefined {
  const path = resolve(cwd, named?.value ?? CONFIG_FILE);
  const shown = shownPath(path, cwd);
  if (!existsSync(path)) {
    if (!named) return undefined;
    throw new UsageError(`${named.from}: no such file (${path})`);
  }
  if (statSync(path).isDirectory()) throw new UsageError(`${named?.from ?? shown}: is a folder; name the JSON file`);
  return { path, shown, values: parse(path, shown) };
}
