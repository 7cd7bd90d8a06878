import { formatOf, isRandomByNature, sameBesideClockReadings } from './value-format.js';

/** A place where two JSON answers differ, as a client parsing them would notice. */
export interface ShapeDifference {
  path: string;
  real: string;
  sandbox: string;
  /**
   * `value`: same type, another value (a text, a number, a status code); `shape`: a field or a type; `order`:
   * the same fields in another order, where a client sees the order (src/compare/field-order.ts).
   */
  about: 'shape' | 'value' | 'order';
  realValue?: unknown;
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A value as a difference line shows it: JSON, with its type when the type is the point. */
const shown = (v: unknown, key = ''): string =>
  v === undefined ? 'missing' : isRandomByNature(key, v) ? `${formatOf(v)} (${typeOf(v)})` : `${JSON.stringify(v)} (${typeOf(v)})`;

const child = (path: string, key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

/**
 * Every difference between the real answer and the sandbox's: field names, types (string, number, boolean,
 * null vs missing), values (a random one by format only). Objects are compared by field name: the order of
 * fields is compared apart, only where a platform's clients see it (PlatformReplay.orderedObjects).
 */
export function compareJson(real: unknown, sandbox: unknown, path = '$', key = ''): ShapeDifference[] {
  const rt = typeOf(real);
  const st = typeOf(sandbox);
  if (rt !== st) return [{ path, real: shown(real, key), sandbox: shown(sandbox, key), about: 'shape', realValue: real }];
  if (rt === 'object') {
    const r = real as Record<string, unknown>;
    const s = sandbox as Record<string, unknown>;
    const out: ShapeDifference[] = [];
    for (const k of Object.keys(r)) {
      if (!Object.hasOwn(s, k)) out.push({ path: child(path, k), real: shown(r[k], k), sandbox: 'missing', about: 'shape', realValue: r[k] });
      else out.push(...compareJson(r[k], s[k], child(path, k), k));
    }
    for (const k of Object.keys(s)) if (!Object.hasOwn(r, k)) out.push({ path: child(path, k), real: 'missing', sandbox: shown(s[k], k), about: 'shape' });
    return out;
  }
  if (rt === 'array') {
    const r = real as unknown[];
    const s = sandbox as unknown[];
    const out: ShapeDifference[] = [];
    for (let i = 0; i < Math.min(r.length, s.length); i++) out.push(...compareJson(r[i], s[i], `${path}[${i}]`, key));
    if (r.length !== s.length) out.push({ path: `${path}.length`, real: String(r.length), sandbox: String(s.length), about: 'value', realValue: r.length });
    return out;
  }
  if (real === sandbox) return [];
  // JSON inside a string (UserCenter's `result`): a client parses it, and so does the comparison.
  const inner = [jsonText(real), jsonText(sandbox)];
  if (inner[0] !== undefined && inner[1] !== undefined) return compareJson(inner[0], inner[1], `${path}<JSON>`, key);
  if (isRandomByNature(key, real) && isRandomByNature(key, sandbox)) {
    const rf = formatOf(real);
    const sf = formatOf(sandbox);
    return rf === sf ? [] : [{ path, real: rf, sandbox: sf, about: 'shape' }];
  }
  if (typeof real === 'string' && typeof sandbox === 'string' && sameBesideClockReadings(real, sandbox)) return [];
  return [{ path, real: JSON.stringify(real), sandbox: JSON.stringify(sandbox), about: 'value', realValue: real }];
}

/** The object or array a string holds as JSON text, or undefined. */
export function jsonText(value: unknown): object | undefined {
  if (typeof value !== 'string' || !/^\s*[{[]/.test(value)) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
