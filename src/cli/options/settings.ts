import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ConfigFile } from './config-file.js';
import { envName, isConfigurable, type OptionKind, type OptionSpec, type OptionTable } from './option-spec.js';
import { didYouMean } from './suggest.js';
import { UsageError } from '../../core/errors/usage-error.js';
import { looksLikePath } from '../../core/scenarios/loader.js';
import { shownPath } from '../output/shown-path.js';

export type Source = 'flag' | 'env' | 'file' | 'default';

export interface Resolved<T> {
  values: T;
  /** Where each value came from, for --help and for messages. */
  sources: Record<string, Source>;
}

interface Candidate {
  source: Source;
  raw: unknown;
  /** How the value is named in a message: `--port abc`, `SANDBOX_PORT=abc`, `sandbox.config.json: "port": "abc"`. */
  label: string;
  /** Folder that relative paths start from. */
  base: string;
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

function expected(kind: OptionKind): string {
  switch (kind.type) {
    case 'port':
      return 'a port number from 0 to 65535 (0 picks a free one)';
    case 'integer':
      return kind.max === undefined ? `a whole number of ${kind.unit}, at least ${kind.min}` : `a whole number of ${kind.unit} from ${kind.min} to ${kind.max}`;
    case 'boolean':
      return 'true or false (or 1/0, yes/no, on/off)';
    case 'choice':
      return `one of ${kind.choices.join(', ')}`;
    case 'list':
      return 'a list of strings';
    default:
      return 'a non-empty string';
  }
}

function integer(c: Candidate, kind: OptionKind & { type: 'port' | 'integer' }): number {
  const n = typeof c.raw === 'number' ? c.raw : typeof c.raw === 'string' && /^\s*\d+\s*$/.test(c.raw) && c.source !== 'file' ? Number(c.raw) : NaN;
  const [min, max] = kind.type === 'port' ? [0, 65535] : [kind.min, kind.max ?? Number.MAX_SAFE_INTEGER];
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${c.label}: expected ${expected(kind)}`);
  return n;
}

function mustExist(c: Candidate, path: string, want: 'file' | 'dir'): void {
  const noun = want === 'dir' ? 'folder' : 'file';
  const as = Array.isArray(c.raw) ? c.raw : [c.raw];
  if (!existsSync(path))
    throw new UsageError(
      `${c.label}: no such ${noun}${as.includes(path) ? '' : ` (${path})`}; ${want === 'dir' ? 'create it, or leave the option out' : 'check the path'}`,
    );
  const isDir = statSync(path).isDirectory();
  if (isDir !== (want === 'dir')) throw new UsageError(`${c.label}: is a ${isDir ? 'folder' : 'file'}, expected a ${noun}`);
}

/** Paths from the config file are relative to its folder; shown relative to the working directory when they are inside it. */
function pathFrom(c: Candidate, value: string, cwd: string): string {
  if (c.source !== 'file' || isAbsolute(value) || c.base === cwd) return value;
  return shownPath(resolve(c.base, value), cwd);
}

function text(c: Candidate, kind: OptionKind): string {
  if (typeof c.raw !== 'string') throw new UsageError(`${c.label}: expected ${expected(kind)}`);
  if (c.raw.trim() === '') throw new UsageError(`${c.label}: empty; give a value, or leave the option out`);
  return c.raw;
}

function convert(c: Candidate, kind: OptionKind, cwd: string): unknown {
  switch (kind.type) {
    case 'port':
    case 'integer':
      return integer(c, kind);
    case 'boolean': {
      if (typeof c.raw === 'boolean') return c.raw;
      const v = typeof c.raw === 'string' && c.source === 'env' ? c.raw.trim().toLowerCase() : undefined;
      if (v !== undefined && TRUE.includes(v)) return true;
      if (v !== undefined && FALSE.includes(v)) return false;
      throw new UsageError(`${c.label}: expected ${expected(kind)}`);
    }
    case 'choice': {
      const v = text(c, kind);
      if (!kind.choices.includes(v)) throw new UsageError(`${c.label}: expected ${expected(kind)}${didYouMean(v, kind.choices)}`);
      return v;
    }
    case 'path': {
      const p = pathFrom(c, text(c, kind), cwd);
      if (kind.mustExist) mustExist(c, resolve(cwd, p), kind.mustExist);
      return p;
    }
    case 'list': {
      const items =
        c.source === 'env'
          ? String(c.raw)
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : Array.isArray(c.raw)
            ? c.raw
            : c.source === 'file'
              ? undefined
              : [c.raw];
      if (!items || items.some((i) => typeof i !== 'string' || i.trim() === ''))
        throw new UsageError(`${c.label}: expected ${c.source === 'file' ? 'an array of strings' : 'a non-empty value'}`);
      return (items as string[]).map((item) => {
        const value = kind.of === 'path' || (kind.of === 'scenario' && looksLikePath(item)) ? pathFrom(c, item, cwd) : item;
        if (kind.mustExist) mustExist({ ...c, label: `${c.label}${items.length > 1 ? ` (${item})` : ''}` }, resolve(cwd, value), kind.mustExist);
        return value;
      });
    }
    default:
      return text(c, kind);
  }
}

const show = (raw: unknown): string => (typeof raw === 'string' ? raw : JSON.stringify(raw));

/** The first layer that has a value: the flag, then SANDBOX_<NAME>, then the config file. */
function candidate(
  name: string,
  spec: OptionSpec,
  given: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  config: ConfigFile | undefined,
  cwd: string,
): Candidate | undefined {
  if (given[name] !== undefined) {
    const raw = given[name];
    const label =
      spec.kind.type === 'boolean'
        ? `--${raw === false ? 'no-' : ''}${name}`
        : `--${name} ${Array.isArray(raw) ? raw.map(show).join(' ') : show(raw)}`.trimEnd();
    return { source: 'flag', raw, label, base: cwd };
  }
  if (!isConfigurable(spec)) return undefined;
  const fromEnv = env[envName(name)];
  // An empty variable counts as unset, as in most shells' ${VAR:-default} idiom and docker-compose files.
  if (fromEnv !== undefined && fromEnv !== '') return { source: 'env', raw: fromEnv, label: `${envName(name)}=${fromEnv}`, base: cwd };
  if (config && config.values[name] !== undefined)
    return {
      source: 'file',
      raw: config.values[name],
      label: `${config.shown}: "${name}": ${JSON.stringify(config.values[name])}`,
      base: dirname(config.path),
    };
  return undefined;
}

/**
 * Every option's value by precedence flag > environment > config file > default, each checked and
 * converted, with a message that says which of the four was wrong and what is accepted.
 */
export function resolveSettings<T>(
  table: OptionTable,
  given: Record<string, unknown>,
  opts: { env?: NodeJS.ProcessEnv; config?: ConfigFile; cwd?: string } = {},
): Resolved<T> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const values: Record<string, unknown> = {};
  const sources: Record<string, Source> = {};
  for (const [name, spec] of Object.entries(table)) {
    const c = candidate(name, spec, given, env, opts.config, cwd);
    if (c) {
      values[name] = convert(c, spec.kind, cwd);
      sources[name] = c.source;
    } else if (spec.default !== undefined) {
      values[name] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
      sources[name] = 'default';
    }
  }
  return { values: values as T, sources };
}

/** "SANDBOX_PORT=9000" / "sandbox.config.json" for --help: what is in effect besides the flags. */
export function describeSources(table: OptionTable, resolved: Resolved<Record<string, unknown>>, config: ConfigFile | undefined): string[] {
  const lines: string[] = [];
  for (const name of Object.keys(table)) {
    const source = resolved.sources[name];
    if (source !== 'env' && source !== 'file') continue;
    const where = source === 'env' ? envName(name) : config?.shown;
    lines.push(`  --${name} ${show(resolved.values[name])}  (from ${where})`);
  }
  return lines;
}
