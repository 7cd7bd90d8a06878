import type { ShapeDifference } from './json-shape.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The object at a path of keys below the root, or undefined. */
export function objectAt(json: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  let at: unknown = json;
  for (const key of keys) at = isObject(at) ? at[key] : undefined;
  return isObject(at) ? at : undefined;
}

const pathOf = (keys: readonly string[]) => keys.reduce((path, k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`), '$');

/** A list of field names as a difference line shows it. */
const shownOrder = (keys: readonly string[]) => `order [${keys.join(', ')}]`;

/**
 * Where the order of an object's fields is part of what a client checks (a signature over the text as sent,
 * a client that cuts the signed text out of the body by where the fields are), a different order is a
 * difference of its own: one line with both orders. Only the fields both answers have count: a field one of
 * them lacks is already a difference of shape, and is not an order difference too.
 */
export function compareOrder(real: unknown, sandbox: unknown, keys: readonly string[]): ShapeDifference | undefined {
  const r = objectAt(real, keys);
  const s = objectAt(sandbox, keys);
  if (!r || !s) return undefined;
  const realKeys = Object.keys(r);
  const sandboxKeys = Object.keys(s);
  const common = new Set(realKeys.filter((k) => Object.hasOwn(s, k)));
  const realCommon = realKeys.filter((k) => common.has(k));
  const sandboxCommon = sandboxKeys.filter((k) => common.has(k));
  if (realCommon.every((k, i) => sandboxCommon[i] === k)) return undefined;
  return {
    path: pathOf(keys),
    real: shownOrder(realKeys),
    sandbox: shownOrder(sandboxKeys),
    about: 'order',
    realValue: { real: realKeys, sandbox: sandboxKeys },
  };
}

/**
 * Where one field alone sits elsewhere (the rest in the same order), the place it has in the real answer:
 * `first` or `last`, or undefined when more than that field moved.
 */
export function movedAlone(difference: ShapeDifference, field: string): 'first' | 'last' | undefined {
  const orders = difference.realValue as { real?: unknown; sandbox?: unknown } | undefined;
  if (difference.about !== 'order' || !Array.isArray(orders?.real) || !Array.isArray(orders.sandbox)) return undefined;
  const real = orders.real as string[];
  const sandbox = orders.sandbox as string[];
  if (!real.includes(field) || !sandbox.includes(field)) return undefined;
  const rest = (keys: string[]) => keys.filter((k) => k !== field && real.includes(k) && sandbox.includes(k)).join('\n');
  if (rest(real) !== rest(sandbox)) return undefined;
  return real[0] === field ? 'first' : real[real.length - 1] === field ? 'last' : undefined;
}
