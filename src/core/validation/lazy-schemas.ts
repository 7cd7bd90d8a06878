import type { z } from 'zod';
import type { AnyPlatform } from '../platform.js';

/** zod and every schema built with it: the fixture-file schema, each platform's section, the scenario schema. */
export interface Validators {
  fixtureFile: typeof import('../fixtures/file-schema.js');
  scenario: typeof import('../scenarios/schema.js');
  /** Each platform's fixture-section schema, by platform id. */
  fixtureSections: ReadonlyMap<string, z.ZodType>;
}

let loaded: Validators | undefined;
let loading: Promise<Validators> | undefined;

/**
 * Loading zod and building the schemas is about a third of a plain start-up (~100 ms to load, ~40 ms
 * to compile on the first parse, ~10 MB), yet `sandbox start` on the built-in fixtures needs none of
 * it: they are validated when the package is built (fixtures/builtin-cache.ts). So whatever is about to
 * validate a file a user gave (their fixtures, a scenario, the control plane, `sandbox validate`)
 * awaits this first; synchronous code after that reads `validators()`.
 */
export function loadValidators(platforms: readonly AnyPlatform[]): Promise<Validators> {
  if (loaded && platforms.every((p) => loaded!.fixtureSections.has(p.id))) return Promise.resolve(loaded);
  // Chained, so a platform list given later (a platform of your own) adds its sections to what is loaded.
  loading = (loading ?? Promise.resolve(undefined)).then(async () => {
    // One import after another: they share zod's module graph, and Jest's ESM loader fails on
    // concurrent imports of one graph ("request for … is not in cache"). Node itself does not mind.
    const fixtureFile = await import('../fixtures/file-schema.js');
    const scenario = await import('../scenarios/schema.js');
    const fixtureSections = new Map<string, z.ZodType>(loaded?.fixtureSections ?? []);
    for (const p of platforms) if (!fixtureSections.has(p.id)) fixtureSections.set(p.id, (await p.loadFixtureSchema()) as z.ZodType);
    loaded = { fixtureFile, scenario, fixtureSections };
    return loaded;
  });
  return loading;
}

export function validators(): Validators {
  // Reaching this means an entry point forgot to await loadValidators(): a bug of ours, not the user's.
  if (!loaded) throw new Error('internal error: a file was validated before the validators were loaded (await loadValidators() first)');
  return loaded;
}

/** One platform's fixture-section schema (validators must be loaded). */
export function fixtureSectionSchema(platform: AnyPlatform): z.ZodType {
  const schema = validators().fixtureSections.get(platform.id);
  if (!schema) throw new Error(`internal error: no fixture schema loaded for platform "${platform.id}"`);
  return schema;
}
