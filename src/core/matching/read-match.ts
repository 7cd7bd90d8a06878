import { ControlError } from '../errors/control-error.js';
import { OPERATORS, type RequestMatch, type ValueMatcher } from './request-match.js';

/**
 * A matcher from outside (a JSON body, a query string, an in-process call) read and checked: every
 * refusal names the field, what it got, and what it takes. The fields are listed once, here.
 */
const VALUE_FIELDS = ['platform', 'endpoint', 'method', 'httpMethod', 'path', 'session'] as const;
const MAP_FIELDS = ['params', 'headers'] as const;
export const MATCH_FIELDS = [...VALUE_FIELDS, 'status', 'matched', 'since', 'until', ...MAP_FIELDS] as const;
/** A regular expression longer than this is not a request matcher anyone writes. */
const MAX_PATTERN = 1000;
const MAX_ENTRIES = 64;

const invalid = (message: string) => new ControlError('invalid_request', message);
const shown = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 120 ? `${s.slice(0, 120)}…` : s;
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const OPERATOR_HELP =
  'a string (equals) or one of {"equals": "..."}, {"contains": "..."}, {"matches": "<regular expression>"}, {"present": true}, {"absent": true}';

export function readValueMatcher(v: unknown, where: string): ValueMatcher {
  if (typeof v === 'string') return v;
  if (!isObject(v)) throw invalid(`"${where}" must be ${OPERATOR_HELP}; got ${shown(v)}.`);
  const keys = Object.keys(v);
  const unknown = keys.filter((k) => !(OPERATORS as readonly string[]).includes(k));
  if (unknown.length) throw invalid(`"${where}" has an unknown operator ${shown(unknown[0])}${suggest(unknown[0]!, OPERATORS)}; use ${OPERATOR_HELP}.`);
  if (keys.length !== 1)
    throw invalid(
      `"${where}" must name exactly one operator, got ${keys.length === 0 ? 'none' : keys.map((k) => `"${k}"`).join(' and ')}; use ${OPERATOR_HELP}.`,
    );
  const op = keys[0] as (typeof OPERATORS)[number];
  const arg = v[op];
  if (op === 'present' || op === 'absent') {
    if (arg !== true) throw invalid(`"${where}.${op}" must be true, got ${shown(arg)}.`);
    return op === 'present' ? { present: true } : { absent: true };
  }
  if (typeof arg !== 'string') throw invalid(`"${where}.${op}" must be a string, got ${shown(arg)}.`);
  if (op === 'matches') {
    if (arg.length > MAX_PATTERN) throw invalid(`"${where}.matches" is longer than ${MAX_PATTERN} characters.`);
    try {
      new RegExp(arg);
    } catch (e) {
      throw invalid(`"${where}.matches" is not a valid regular expression: ${(e as Error).message}.`);
    }
    return { matches: arg };
  }
  return op === 'equals' ? { equals: arg } : { contains: arg };
}

function readInstant(v: unknown, where: string): string | number {
  const ms = typeof v === 'number' ? v : typeof v === 'string' && /^\d{4}-\d\d-\d\d/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw invalid(`"${where}" must be an ISO-8601 time such as "2026-01-01T08:00:00+08:00" or epoch milliseconds, got ${shown(v)}.`);
  return v as string | number;
}

/** A matcher object (the JSON form). */
export function readMatch(v: unknown, where = 'match'): RequestMatch {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw invalid(`"${where}" must be an object with any of ${MATCH_FIELDS.join(', ')}; got ${shown(v)}.`);
  const out: RequestMatch = {};
  for (const key of Object.keys(v)) {
    const value = v[key];
    // `{ platform: undefined }` (an optional argument passed along) asks for nothing, as it always did.
    if (value === undefined) continue;
    const at = `${where}.${key}`;
    if ((VALUE_FIELDS as readonly string[]).includes(key)) out[key as (typeof VALUE_FIELDS)[number]] = readValueMatcher(value, at);
    else if (key === 'status') {
      if (typeof value === 'number') {
        if (!Number.isInteger(value) || value < 0) throw invalid(`"${at}" must be an HTTP status such as 200, got ${shown(value)}.`);
        out.status = value;
      } else out.status = readValueMatcher(value, at);
    } else if (key === 'matched') {
      if (typeof value !== 'boolean') throw invalid(`"${at}" must be true or false, got ${shown(value)}.`);
      out.matched = value;
    } else if (key === 'since' || key === 'until') out[key] = readInstant(value, at);
    else if (key === 'params' || key === 'headers') {
      if (!isObject(value)) throw invalid(`"${at}" must be an object of names to matchers, such as {"grant_type": "refresh_token"}; got ${shown(value)}.`);
      const names = Object.keys(value);
      if (names.length > MAX_ENTRIES) throw invalid(`"${at}" names ${names.length} fields; at most ${MAX_ENTRIES}.`);
      const map: Record<string, ValueMatcher> = {};
      for (const name of names)
        Object.defineProperty(map, name, { value: readValueMatcher(value[name], `${at}.${name}`), enumerable: true, writable: true, configurable: true });
      out[key] = map;
    } else throw invalid(`"${where}" has an unknown field ${shown(key)}${suggest(key, MATCH_FIELDS)}; a matcher takes ${MATCH_FIELDS.join(', ')}.`);
  }
  return out;
}

/**
 * The query-string form: `platform=sop&params.grant_type=refresh_token&matched=false&status=200`; each
 * value is "equals". `match=<JSON>` takes the JSON form, for the other operators. Keys in `skip` belong to
 * the route (limit).
 */
export function readMatchQuery(query: Record<string, unknown>, skip: readonly string[] = []): RequestMatch {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (skip.includes(key) || key === 'match') continue;
    if (typeof value !== 'string') throw invalid(`"${key}" is given more than once; give it once (or use match=<JSON>).`);
    const dot = key.indexOf('.');
    const head = dot < 0 ? key : key.slice(0, dot);
    // An empty field of a form (`?platform=&endpoint=token.as`) filters nothing, as it always did.
    if (value === '' && dot < 0) continue;
    if (dot > 0 && (head === 'params' || head === 'headers')) {
      const map = (out[head] ??= {}) as Record<string, unknown>;
      Object.defineProperty(map, key.slice(dot + 1), { value, enumerable: true, writable: true, configurable: true });
    } else if (key === 'status') {
      if (!/^\d+$/.test(value)) throw invalid(`"status" must be a whole number, got ${shown(value)}.`);
      out.status = Number(value);
    } else if (key === 'matched') {
      if (value !== 'true' && value !== 'false')
        throw invalid(`"matched" must be true (requests an endpoint served) or false (requests no endpoint matched), got ${shown(value)}.`);
      out.matched = value === 'true';
    } else if (key === 'since' || key === 'until') out[key] = /^\d+$/.test(value) ? Number(value) : value;
    else out[key] = value;
  }
  const fromQuery = readMatch(out, 'query');
  if (query.match === undefined) return fromQuery;
  if (typeof query.match !== 'string') throw invalid('"match" is given more than once; give it once.');
  let json: unknown;
  try {
    json = JSON.parse(query.match);
  } catch (e) {
    throw invalid(`"match" must be a JSON matcher such as {"params":{"grant_type":"refresh_token"}}: ${(e as Error).message}.`);
  }
  return { ...readMatch(json), ...fromQuery };
}

/** ` (did you mean "x"?)` when a known name is one or two edits away. */
function suggest(name: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}
