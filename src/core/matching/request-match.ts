/**
 * The one matcher language: which requests a journal query, a verification or a fault rule is about.
 * A criterion's value is a string (equals) or one operator: `equals`, `contains`, `matches` (a regular
 * expression), `present` or `absent`. This module only evaluates; read-match.ts says what is valid.
 */
export type ValueMatcher = string | { equals: string } | { contains: string } | { matches: string } | { present: true } | { absent: true };

export const OPERATORS = ['equals', 'contains', 'matches', 'present', 'absent'] as const;

export interface RequestMatch {
  platform?: ValueMatcher;
  endpoint?: ValueMatcher;
  /** The business method (`open.auth.token.app`, `GET_BOXES`), as in fault rules and the journal's `apiMethod`. */
  method?: ValueMatcher;
  /** The HTTP method. */
  httpMethod?: ValueMatcher;
  path?: ValueMatcher;
  /** The HTTP status answered: a number, or a matcher on its digits (`{"matches":"^4"}`). */
  status?: number | ValueMatcher;
  session?: ValueMatcher;
  /** false: requests no endpoint matched. */
  matched?: boolean;
  /** Sandbox time window (ISO-8601 or epoch ms), both ends included. */
  since?: string | number;
  until?: string | number;
  /** The request's parameters as the journal shows them, a gateway's business content included. */
  params?: Record<string, ValueMatcher>;
  /** Request headers (names are case-insensitive). */
  headers?: Record<string, ValueMatcher>;
}

/** What a matcher reads of a request, wherever it comes from (a journal entry, a request being answered). */
export interface MatchSubject {
  platform: string;
  endpoint: string;
  method?: string;
  httpMethod: string;
  path: string;
  status?: number;
  session: string;
  matched: boolean;
  time: number;
  param(name: string): string | undefined;
  header(name: string): string | undefined;
}

/** One criterion a request did not meet: its name (`params.grant_type`), what was asked, what the request had. */
export interface MatchFailure {
  criterion: string;
  expected: string;
  actual: string;
}

export type ValueTest = (value: string | undefined) => boolean;

/** A value matcher as a test, and as words for reports. */
export function compileValue(m: ValueMatcher): { test: ValueTest; says: string } {
  if (typeof m === 'string') return { test: (v) => v === m, says: JSON.stringify(m) };
  if ('equals' in m) return { test: (v) => v === m.equals, says: JSON.stringify(m.equals) };
  if ('contains' in m) return { test: (v) => v !== undefined && v.includes(m.contains), says: `containing ${JSON.stringify(m.contains)}` };
  if ('matches' in m) {
    const re = new RegExp(m.matches);
    return { test: (v) => v !== undefined && re.test(v), says: `matching /${m.matches}/` };
  }
  if ('present' in m) return { test: (v) => v !== undefined, says: 'present' };
  return { test: (v) => v === undefined, says: 'absent' };
}

interface Criterion {
  name: string;
  says: string;
  read: (s: MatchSubject) => string | undefined;
  test: ValueTest;
}

const ABSENT = '(absent)';

/** A match ready to run over many requests: each criterion compiled once. */
export class CompiledMatch {
  private readonly criteria: Criterion[] = [];

  constructor(readonly match: RequestMatch) {
    const field = (name: string, m: ValueMatcher | undefined, read: Criterion['read']) => {
      if (m === undefined) return;
      const c = compileValue(m);
      this.criteria.push({ name, says: c.says, read, test: c.test });
    };
    field('platform', match.platform, (s) => s.platform);
    field('endpoint', match.endpoint, (s) => s.endpoint);
    field('method', match.method, (s) => s.method);
    field('httpMethod', match.httpMethod, (s) => s.httpMethod);
    field('path', match.path, (s) => s.path);
    field('status', typeof match.status === 'number' ? String(match.status) : match.status, (s) => (s.status === undefined ? undefined : String(s.status)));
    field('session', match.session, (s) => s.session);
    if (match.matched !== undefined) {
      const want = String(match.matched);
      this.criteria.push({ name: 'matched', says: want, read: (s) => String(s.matched), test: (v) => v === want });
    }
    const since = match.since === undefined ? undefined : instant(match.since);
    const until = match.until === undefined ? undefined : instant(match.until);
    if (since !== undefined)
      this.criteria.push({
        name: 'since',
        says: `at or after ${new Date(since).toISOString()}`,
        read: (s) => iso(s.time),
        test: (v) => v !== undefined && Date.parse(v) >= since,
      });
    if (until !== undefined)
      this.criteria.push({
        name: 'until',
        says: `at or before ${new Date(until).toISOString()}`,
        read: (s) => iso(s.time),
        test: (v) => v !== undefined && Date.parse(v) <= until,
      });
    for (const [name, m] of Object.entries(match.params ?? {})) field(`params.${name}`, m, (s) => s.param(name));
    for (const [name, m] of Object.entries(match.headers ?? {})) field(`headers.${name.toLowerCase()}`, m, (s) => s.header(name.toLowerCase()));
  }

  /** How many criteria there are (a request can miss at most this many). */
  get size(): number {
    return this.criteria.length;
  }

  test(s: MatchSubject): boolean {
    for (const c of this.criteria) if (!c.test(c.read(s))) return false;
    return true;
  }

  /** Every criterion the request does not meet, with what it had instead. */
  failures(s: MatchSubject): MatchFailure[] {
    const out: MatchFailure[] = [];
    for (const c of this.criteria) {
      const actual = c.read(s);
      if (!c.test(actual)) out.push({ criterion: c.name, expected: c.says, actual: actual === undefined ? ABSENT : JSON.stringify(actual) });
    }
    return out;
  }
}

export function instant(v: string | number): number {
  return typeof v === 'number' ? v : Date.parse(v);
}

const iso = (ms: number): string => new Date(ms).toISOString();
