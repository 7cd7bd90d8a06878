import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readJsonFile } from '../fixtures/loader.js';
import type { AnyPlatform } from '../platform.js';
import { didYouMean } from '../validation/did-you-mean.js';
import { LoadError, validateWith } from '../validation/load-error.js';
import { checkScenario } from './check.js';
import { SCENARIO_FIELDS } from './fields.js';
import type { Scenario } from './schema.js';
import { validators } from '../validation/lazy-schemas.js';
import { packagePath } from '../config/package-root.js';

/** The package's own scenarios (dist/core/scenarios → ../../../scenarios, and the same from src/). */
export const BUILTIN_SCENARIOS_DIR = packagePath('scenarios');

const SCENARIO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A validated scenario and where it came from. */
export interface LoadedScenario {
  name: string;
  /** 'builtin', the file it was read from, 'inline' or 'runtime' (a fault armed over the control plane). */
  source: string;
  scenario: Scenario;
}

/** An inline scenario object, or a reference: a name from the library or (from trusted callers) a file path. */
export type ScenarioRef = string | Record<string, unknown>;

/** A name that is in no scenario folder: a 404 over the control plane, a refusal at start. */
export class ScenarioNotFound extends LoadError {}

export interface ResolveOptions {
  /** Paths are accepted from the command line and the in-process API, never over HTTP (no file reads outside the folders). */
  allowPaths: boolean;
  /** How a validation error names an inline scenario ("request body", "scenarios[1]"). */
  label?: string;
}

/** A scenario reference that names a file (read from disk) rather than a scenario of the library (found by name). */
export const looksLikePath = (ref: string): boolean => ref.includes('/') || ref.includes('\\') || ref.endsWith('.json');

/**
 * Finds scenarios by name in the user's folders, then the built-in library, and validates every
 * scenario (file, inline or armed) with the schema and against the platforms that are loaded.
 */
export class ScenarioLibrary {
  readonly dirs: readonly string[];
  private inlineCount = 0;

  constructor(
    private readonly platforms: readonly AnyPlatform[],
    userDirs: readonly string[] = [],
    builtin = true,
  ) {
    this.dirs = [...userDirs.map((d) => resolve(d)), ...(builtin ? [BUILTIN_SCENARIOS_DIR] : [])];
  }

  resolve(ref: ScenarioRef, opts: ResolveOptions): LoadedScenario {
    if (typeof ref !== 'string') return this.inline(ref, opts.label ?? 'inline scenario');
    if (looksLikePath(ref)) {
      if (!opts.allowPaths) {
        throw new LoadError([
          {
            file: ref,
            path: '',
            message: `scenario files are read only from the command line or the in-process API; over the control plane name one of the library (${this.names().join(', ')}) or send the scenario inline`,
          },
        ]);
      }
      return this.fromFile(resolve(ref));
    }
    return this.byName(ref);
  }

  byName(name: string): LoadedScenario {
    const file = SCENARIO_NAME.test(name) ? this.dirs.map((d) => join(d, `${name}.json`)).find((f) => existsSync(f)) : undefined;
    if (!file) {
      throw new ScenarioNotFound([
        {
          file: name,
          path: '',
          message: `unknown scenario "${name}"${didYouMean(name, this.names())}; the library has ${this.names().join(', ') || 'none'} (or give a path to a .json file)`,
        },
      ]);
    }
    return this.fromFile(file);
  }

  fromFile(file: string): LoadedScenario {
    const scenario = this.validate(readJsonFile(file), file);
    const builtin = file.startsWith(BUILTIN_SCENARIOS_DIR);
    return { name: scenario.name ?? basename(file, '.json'), source: builtin ? 'builtin' : file, scenario };
  }

  inline(data: unknown, label: string, source = 'inline'): LoadedScenario {
    const scenario = this.validate(data, label);
    return { name: scenario.name ?? `${source}-${++this.inlineCount}`, source, scenario };
  }

  validate(data: unknown, file: string): Scenario {
    const scenario = validateWith(validators().scenario.scenarioSchema, data, file);
    const issues = checkScenario(scenario, this.platforms, file);
    if (issues.length) throw new LoadError(issues);
    return scenario;
  }

  names(): string[] {
    const names = new Set<string>();
    for (const dir of this.dirs) {
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir)) if (f.endsWith('.json')) names.add(f.slice(0, -5));
    }
    return [...names].sort();
  }

  /** Every scenario in the folders, for listings; an invalid file is listed with its error. */
  list(): { name: string; description?: string; source: string; error?: string }[] {
    return this.names().map((name) => {
      try {
        const s = this.byName(name);
        return { name, description: s.scenario.description, source: s.source };
      } catch (e) {
        return { name, source: 'invalid', error: (e as Error).message };
      }
    });
  }
}

/**
 * Tell a scenario file from a fixture file: by its `$schema` line, else by its fields (fixture files
 * hold one section per platform id; scenario files hold policy, faults, clock, state, ...).
 */
export function isScenarioFile(raw: unknown): boolean {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const data = raw as Record<string, unknown>;
  if (typeof data.$schema === 'string') {
    if (/scenario/i.test(data.$schema)) return true;
    if (/fixture/i.test(data.$schema)) return false;
  }
  return Object.keys(data).some((k) => SCENARIO_FIELDS.includes(k));
}
