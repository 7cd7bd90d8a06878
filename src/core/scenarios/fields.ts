import type { Scenario } from './schema.js';

// The compiler keeps this list equal to the schema's fields (a missing or extra one does not build),
// without loading zod where a file is only being told apart from a fixture file.
const FIELDS = { name: true, description: true, policy: true, platforms: true, clock: true, random: true, faults: true, state: true } satisfies Record<
  Exclude<keyof Scenario, '$schema'>,
  true
>;

/** The top-level fields of a scenario file. */
export const SCENARIO_FIELDS: readonly string[] = Object.keys(FIELDS);
