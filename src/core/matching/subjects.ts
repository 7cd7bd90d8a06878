import type { IncomingHttpHeaders } from 'node:http';
import type { JournalEntry } from '../journal.js';
import type { MatchSubject } from './request-match.js';

/** A gateway's business content: SOP's `biz_content` and ZJRC's `bizContent`, whose fields (SOP's `grant_type`) are params too. */
const BUSINESS_CONTENT = ['biz_content', 'bizContent'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v as number | boolean);
}

/**
 * Read a parameter by name from a request's params: its own field first, then the business content a
 * gateway call carries (a JSON text, parsed once, or already an object as ZJRC's journal shows it).
 */
export function paramReader(...sources: unknown[]): (name: string) => string | undefined {
  let contents: Record<string, unknown>[] | undefined;
  return (name) => {
    for (const s of sources) if (isObject(s) && Object.hasOwn(s, name)) return text(s[name]);
    contents ??= sources.flatMap((s) => (isObject(s) ? BUSINESS_CONTENT.map((k) => parsed(s[k])).filter(isObject) : []));
    for (const c of contents) if (Object.hasOwn(c, name)) return text(c[name]);
    return undefined;
  };
}

function parsed(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}

/** A body the journal kept as text (a request no endpoint parsed): read as a form when it looks like one. */
function bodyParams(body: unknown): unknown {
  if (typeof body !== 'string' || !body.includes('=')) return body;
  const t = body.trim();
  if (t.startsWith('{')) return parsed(t);
  return Object.fromEntries(new URLSearchParams(t));
}

/** A journal entry as matchers read it (params and headers as the journal shows them: secrets masked). */
export function entrySubject(e: JournalEntry): MatchSubject {
  const headers = e.request.headers ?? {};
  return {
    platform: e.platform,
    endpoint: e.endpoint,
    method: e.apiMethod,
    httpMethod: e.method,
    path: e.path,
    status: e.status,
    session: e.session,
    matched: e.matched ?? true,
    time: e.time,
    param: paramReader(bodyParams(e.request.body), e.request.query),
    header: (name) => (Object.hasOwn(headers, name) ? headers[name] : undefined),
  };
}

/** Params and headers of a request being answered (fault rules): as parsed, before the journal masks anything. */
export function requestReaders(params: unknown, query: unknown, headers: IncomingHttpHeaders): Pick<MatchSubject, 'param' | 'header'> {
  return {
    param: paramReader(params, query),
    header: (name) => {
      const v = headers[name];
      return Array.isArray(v) ? v.join(', ') : v;
    },
  };
}
