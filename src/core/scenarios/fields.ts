/** The top-level fields that tell a scenario file from a fixture file. */
export const SCENARIO_FIELDS: readonly string[] = ['name', 'description', 'policy', 'platforms', 'clock', 'random', 'faults', 'state'];
