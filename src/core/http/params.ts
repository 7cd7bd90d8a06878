/** Request parameter parsing shared by the platforms. Every parser is total: bad input gives data, not a throw. */

/**
 * application/x-www-form-urlencoded → flat string map. The first occurrence of a repeated key wins
 * (as Java's getParameter does); invalid percent-escapes are kept literally instead of failing.
 */
export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (text === '') return out;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    if (key in out) continue;
    out[key] = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
  }
  return out;
}

function decodeComponent(text: string): string {
  const plus = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus.replace(/%([0-9a-fA-F]{2})/g, (m, h: string) => {
      const c = parseInt(h, 16);
      return c < 0x80 ? String.fromCharCode(c) : m;
    });
  }
}

/** Does the body read as a query string at all (as opposed to JSON, XML or free text)? */
export function looksLikeForm(text: string): boolean {
  const t = text.trimStart();
  return t === '' || (!t.startsWith('{') && !t.startsWith('[') && !t.startsWith('<') && t.includes('='));
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

/** Deeper documents are refused: JSON.parse takes them, but every recursive step after it (stringify, validation) would overflow the stack. */
export const MAX_JSON_DEPTH = 64;

export function parseJson(text: string): JsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  return withinJsonDepth(value) ? { ok: true, value } : { ok: false, error: `nested more than ${MAX_JSON_DEPTH} levels deep` };
}

/** Is a parsed JSON value at most `max` levels deep? Iterative, so the check itself cannot overflow. */
export function withinJsonDepth(root: unknown, max = MAX_JSON_DEPTH): boolean {
  if (root === null || typeof root !== 'object') return true;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return false;
    for (const child of Object.values(node as object)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return true;
}

/** Flatten a JSON object's scalar fields to strings (clients send numbers where strings are documented). */
export function jsonToParams(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (v !== null && v !== undefined) out[k] = JSON.stringify(v);
  }
  return out;
}

export function queryParams(search: string): Record<string, string> {
  return parseForm(search.startsWith('?') ? search.slice(1) : search);
}
