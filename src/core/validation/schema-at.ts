import type { z } from 'zod';

/**
 * What a schema expects at a JSON path, read from zod's own definition, so a message can name the fields or
 * values that would have fitted. Every shape the schemas use is followed (optional, default, pipe, lazy,
 * unions); anything else ends the walk with nothing, and the message just names fewer candidates.
 */

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, unknown>;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema itself, past the wrappers that do not change what a value must look like. */
export function unwrap(schema: z.ZodType): z.ZodType {
  for (let i = 0; i < 32; i++) {
    const def = defOf(schema);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : def.type === 'lazy' ? def.getter?.() : undefined);
    if (!next) return schema;
    schema = next;
  }
  return schema;
}

/** The schemas that may apply at `path` below `schema` (several where a union leaves it open). */
export function schemasAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  let current = [schema];
  for (const key of path) {
    const next: z.ZodType[] = [];
    for (const s of current.flatMap(alternatives)) {
      const def = defOf(s);
      if (def.type === 'object' && typeof key === 'string' && def.shape && Object.hasOwn(def.shape, key)) next.push(def.shape[key]!);
      else if (def.type === 'array' && typeof key === 'number' && def.element) next.push(def.element);
      else if (def.type === 'tuple' && typeof key === 'number' && def.items?.[key]) next.push(def.items[key]!);
      else if (def.type === 'record' && def.valueType) next.push(def.valueType);
    }
    if (next.length === 0) return [];
    current = next;
  }
  return current;
}

/** A schema as the shapes a value may take: a union is each of its options (unwrapped). */
export function alternatives(schema: z.ZodType): z.ZodType[] {
  const s = unwrap(schema);
  const def = defOf(s);
  if (def.type === 'union' && def.options) return def.options.flatMap(alternatives);
  if (def.type === 'intersection' && def.left && def.right) return [...alternatives(def.left), ...alternatives(def.right)];
  return [s];
}

/** The field names an object at `path` may have. */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const out = new Set<string>();
  for (const s of schemasAt(schema, path).flatMap(alternatives)) {
    const def = defOf(s);
    if (def.type === 'object' && def.shape) for (const k of Object.keys(def.shape)) out.add(k);
  }
  return [...out];
}

/** How one shape reads in a message: `"reset"`, `true or false`, `{"withinSeconds": …}`, `a number`. */
export function describeShape(schema: z.ZodType): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v));
    case 'enum':
      return Object.values(def.entries ?? {}).map((v) => JSON.stringify(v));
    case 'boolean':
      return ['true', 'false'];
    case 'null':
      return ['null'];
    case 'object':
      return [
        `{${Object.keys(def.shape ?? {})
          .map((k) => `"${k}": …`)
          .join(', ')}}`,
      ];
    case 'array': {
      const inner = def.element ? alternatives(def.element).flatMap(describeShape) : [];
      return [inner.length ? `an array of ${orList(inner)}` : 'an array'];
    }
    case 'string':
      return ['a string'];
    case 'number':
      return ['a number'];
    case 'record':
      return ['an object'];
    default:
      return [];
  }
}

/** The string values a union or enum at `path` accepts (for "did you mean"). */
export function stringValues(shapes: readonly z.ZodType[]): string[] {
  const out: string[] = [];
  for (const s of shapes) {
    const def = defOf(s);
    if (def.type === 'literal') for (const v of def.values ?? []) if (typeof v === 'string') out.push(v);
    if (def.type === 'enum') for (const v of Object.values(def.entries ?? {})) if (typeof v === 'string') out.push(v);
  }
  return out;
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
