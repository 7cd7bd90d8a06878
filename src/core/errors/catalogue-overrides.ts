import { z } from 'zod';

/**
 * The fixture section that overrides a catalogue: `{"<kind>": {<fields of an entry>}}`, every field
 * optional, unknown kinds and fields refused. One builder for every platform, so a typo in a kind is
 * caught the same way everywhere. `entry` lists the fields one kind may override.
 */
export function catalogueOverridesSchema(kinds: readonly string[], entry: z.ZodRawShape) {
  const one = z.object(entry).partial().strict().optional();
  return z
    .object(Object.fromEntries(kinds.map((k) => [k, one])))
    .strict()
    .default({});
}

/** What a kind's HTTP status may be overridden with. */
export const httpStatus = z.number().int().min(100).max(599);
