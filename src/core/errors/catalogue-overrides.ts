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

/** One part of a platform's catalogues: its kinds and the fields each of them may override. */
export type OverridesGroup = readonly [kinds: readonly string[], entry: z.ZodRawShape];

/**
 * The same over several catalogues whose entries differ in shape (SOP's gateway sub_codes, its token
 * errors, its page's refusals), in one `errors` section: kinds are unique across the groups.
 */
export function catalogueSectionsOverridesSchema(groups: readonly OverridesGroup[]) {
  const shape: Record<string, z.ZodOptional<z.ZodObject>> = {};
  for (const [kinds, entry] of groups) {
    const one = z.object(entry).partial().strict().optional();
    for (const kind of kinds) shape[kind] = one;
  }
  return z.object(shape).strict().default({});
}

/** What a kind's HTTP status may be overridden with. */
export const httpStatus = z.number().int().min(100).max(599);
