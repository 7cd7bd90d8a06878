import { ControlError } from '../errors/control-error.js';
import type { Reply } from '../platform.js';
import type { Route, RouteTable } from './route-table.js';

/** A request no endpoint serves: the answer it gets, the platform it was meant for, and what the client probably meant. */
export interface Miss {
  reply: Reply;
  /** The platform whose prefix the path was under, or '' when none. */
  platform: string;
  /** One line for people: the closest endpoints, or why none is close. */
  hint: string;
}

/** The content type Express gave these answers before the dispatcher took them over: the wire stays the same. */
const MISS_CONTENT_TYPE = 'application/json; charset=utf-8';
/** Beyond this length a path is nobody's typo: no edit distance is computed (a hostile path stays cheap). */
const MAX_COMPARED = 200;

/**
 * The answer to a request that matched no endpoint, word for word what the control plane's fallback
 * has always said (`rawPath` is the path as sent, session prefix included), plus the near-miss hint
 * computed on `path`, the path inside the world (session prefix removed).
 */
export function answerMiss(table: RouteTable, method: string, rawPath: string, path: string): Miss {
  const error = missError(table, method, rawPath);
  const allowed = table.methodsAt(rawPath);
  const reply: Reply = { status: error.status, contentType: MISS_CONTENT_TYPE, body: JSON.stringify(error.toJSON()), data: error.toJSON() };
  if (allowed.length) reply.headers = { allow: allowed.join(', ') };
  return { reply, platform: table.prefixOwner(path), hint: nearMiss(table, method, path) };
}

/** The refusal itself (also what the control plane answers for a miss that reaches it). */
export function missError(table: RouteTable, method: string, path: string): ControlError {
  const allowed = table.methodsAt(path);
  return allowed.length
    ? new ControlError('method_not_allowed', `${method} is not served at ${path}; use ${allowed.join(' or ')}.`)
    : new ControlError(
        'not_found',
        `No platform endpoint at ${method} ${path}. Platforms: ${table.platformIds.map((id) => `/${id}`).join(', ')}; control plane: /__sandbox/.`,
      );
}

const describe = (r: Route): string => `${r.platform.id} ${r.endpoint.name}`;
const methodOf = (r: Route): string => (r.endpoint.method === '*' ? 'any method' : r.endpoint.method);

/**
 * What the client most likely meant, in the order of how often each mistake happens: the right path
 * with the wrong HTTP method; an endpoint's own path under a wrong base or context path (SOP's
 * `/api/gateway.do`, Mantun's endpoints under another context path); a typo in the path.
 */
export function nearMiss(table: RouteTable, method: string, path: string): string {
  const here = table.routesAt(path);
  if (here.length) {
    const takes = [...new Set(here.map(methodOf))].join(' or ');
    return `${method} is not served at ${path}: ${[...new Set(here.map(describe))].join(', ')} takes ${takes}`;
  }
  const entries = table.entries();
  const [meant, base] = wrongBase(entries, path) ?? [];
  if (base) {
    const same = entries.filter(([, r]) => r.platform === base.platform && r.endpoint.name === base.endpoint.name);
    const methods = [...new Set(same.map(([, r]) => methodOf(r)))].join(' or ');
    const paths = [...new Set(same.filter(([, r]) => r.prefix === '').map(([p]) => p))];
    const bases = [...new Set(entries.filter(([, r]) => r.platform === base.platform).map(([, r]) => r.prefix || '/'))];
    return `no endpoint at ${path}: ${describe(base)} answers ${methods} at ${paths.join(', ')}, under ${base.platform.id}'s base paths ${bases.join(', ')} (did you mean ${meant}?)`;
  }
  const typo = closest(entries, method, path);
  if (typo.length) return `no endpoint at ${path}: did you mean ${typo.map(([p, r]) => `${methodOf(r)} ${p} (${describe(r)})`).join(' or ')}?`;
  return `no endpoint at ${path} or near it: platforms answer at their own paths and under ${table.platformIds.map((id) => `/${id}`).join(', ')} (GET /__sandbox/platforms lists every base URL)`;
}

/** The endpoint whose own path ends the request's path (longest first): the base or context path is wrong. */
function wrongBase(entries: [string, Route][], path: string): [string, Route] | undefined {
  let best: [string, Route] | undefined;
  for (const entry of entries) {
    const [p, r] = entry;
    if (r.prefix !== '' || p === '/' || p.length >= path.length || !path.endsWith(p)) continue;
    if (!best || p.length > best[0].length) best = entry;
  }
  return best;
}

/** The paths at the smallest edit distance, when it is small for the path's length; the request's method breaks ties. */
function closest(entries: [string, Route][], method: string, path: string): [string, Route][] {
  if (path.length > MAX_COMPARED) return [];
  let best = Math.max(2, Math.floor(path.length / 4));
  let found: [string, Route][] = [];
  for (const entry of entries) {
    const d = distance(path, entry[0], best);
    if (d > best) continue;
    if (d < best || found.length === 0) {
      best = d;
      found = [entry];
    } else found.push(entry);
  }
  const sameMethod = found.filter(([, r]) => r.endpoint.method === method || r.endpoint.method === '*');
  const picked = sameMethod.length ? sameMethod : found;
  // One line: each endpoint once (at its first path: the native one, or the prefix the request used), at most three.
  const seen = new Set<string>();
  return picked.filter(([, r]) => !seen.has(describe(r)) && seen.add(describe(r))).slice(0, 3);
}

/** Levenshtein distance when it is at most `cap`; anything above (cap + 1) once that is certain. */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let low = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      if (v < low) low = v;
    }
    if (low > cap) return cap + 1;
    prev = row;
  }
  return Math.min(prev[b.length]!, cap + 1);
}
