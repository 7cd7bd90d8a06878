import type { Difference } from '../compare/difference.js';
import { CompiledMatch, type RequestMatch } from './matching/request-match.js';
import { entrySubject } from './matching/subjects.js';

/**
 * The bounded request journal: the last N exchanges, oldest dropped first, so a long load test
 * cannot grow memory (WireMock's unbounded journal is the cautionary tale).
 */
export interface JournalEntry {
  id: number;
  /** Sandbox time (epoch ms) when the request arrived. */
  time: number;
  session: string;
  /** The platform that answered; for a request no endpoint matched, the platform whose prefix it was under, or ''. */
  platform: string;
  /** The endpoint that answered; '' when none matched. */
  endpoint: string;
  /** False when no endpoint matched the request (unknown path, wrong HTTP method, wrong platform prefix). */
  matched: boolean;
  /** For a request no endpoint matched: the endpoints it was probably meant for, one line for people. */
  hint?: string;
  /** The business method a gateway call named (`open.auth.token.app`, `GET_BOXES`), when there is one. */
  apiMethod?: string;
  /** The HTTP method. */
  method: string;
  path: string;
  status: number;
  durationMs: number;
  request: {
    query: Record<string, unknown>;
    body: unknown;
    contentType?: string;
    /** The request's headers, lower-case names; credentials masked (Authorization keeps its scheme, cookies their names). */
    headers?: Record<string, string>;
    /** The query string as sent, without the `?` (secret-named values masked). */
    rawQuery?: string;
    /** The body's length in bytes, as received (or as declared when it was not read). */
    bodySize?: number;
  };
  response: { contentType?: string; body: unknown };
  /** The scenario rule that shaped the answer, when one did. */
  rule?: string;
  /** Why a request was refused, when the platform's answer cannot say it (a timestamp off by 8 hours). */
  note?: string;
  /** Set when the request was forwarded to the real platform (`--upstream`): where, how long it took, and why it failed. */
  upstream?: { url: string; durationMs: number; error?: string; parity?: { differences: Difference[] } };
}

/** Which entries a listing returns: any matcher (see core/matching), and at most `limit` of them. */
export type JournalFilter = RequestMatch & { limit?: number };

const SECRET_KEY = /pass(wd|word)?$|secret|(^|client)sign$|private|md5password|shapassword|validatecode/i;
export const MASK = '***';

/** What one journaled value may cost at most: long strings are cut, wide or deep structures summarised. */
const STRING_LIMIT = 4096;
const ENTRIES_LIMIT = 64;
const DEPTH_LIMIT = 8;
const BUDGET = 32 * 1024;

// Journaled bodies repeat the same few field names: remember the verdict per name (bounded, so
// clients inventing names cannot grow it).
const secretVerdicts = new Map<string, boolean>();
const isSecret = (key: string): boolean => {
  let verdict = secretVerdicts.get(key);
  if (verdict === undefined) {
    verdict = SECRET_KEY.test(key.trim());
    if (secretVerdicts.size < 4096) secretVerdicts.set(key, verdict);
  }
  return verdict;
};

// Secrets inside text: `passwd=..` in a form, `"clientSign":".."` in JSON (also JSON held in a JSON string).
const FORM_PAIR = /(^|[&?])([^=&?\s]+)=([^&]*)/g;
const JSON_PAIR = /"((?:[^"\\]|\\.)*)"(\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\]\s]+)/g;
const ESCAPED_JSON_PAIR = /\\"([^"\\]*)\\"(\s*:\s*)\\"((?:[^"\\]|\\[^"])*)\\"/g;

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

/** A text with the values of secret-named fields replaced, whether it holds a form, JSON, or JSON inside JSON. */
export function maskText(text: string): string {
  let out = text;
  if (out.includes('='))
    out = out.replace(FORM_PAIR, (m, lead: string, key: string, value: string) => (value !== '' && isSecret(decodeKey(key)) ? `${lead}${key}=${MASK}` : m));
  if (out.includes('"')) {
    out = out.replace(JSON_PAIR, (m, key: string, sep: string, value: string) => (value !== '""' && isSecret(key) ? `"${key}"${sep}"${MASK}"` : m));
    if (out.includes('\\"'))
      out = out.replace(ESCAPED_JSON_PAIR, (m, key: string, sep: string, value: string) =>
        value !== '' && isSecret(key) ? `\\"${key}\\"${sep}\\"${MASK}\\"` : m,
      );
  }
  return out;
}

/** Headers whose values are credentials: never journaled as sent. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-sandbox-admin-token']);
const HEADER_VALUE_LIMIT = 1024;

function maskCredential(name: string, value: string): string {
  if (name === 'cookie' || name === 'set-cookie')
    // The cookie names stay: which cookie was sent is what one debugs.
    return value
      .split(';')
      .map((part) => {
        const eq = part.indexOf('=');
        return eq < 0 ? part : `${part.slice(0, eq)}=${MASK}`;
      })
      .join(';');
  const scheme = /^([A-Za-z][\w-]*)\s+\S/.exec(value);
  return scheme ? `${scheme[1]} ${MASK}` : MASK;
}

/** A request's headers fit for the journal: credentials masked, at most 64 of them, each value cut at 1 KiB. */
export function journalHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const name in headers) {
    const raw = headers[name];
    if (raw === undefined) continue;
    if (++n > ENTRIES_LIMIT) {
      out['…'] = 'more headers';
      break;
    }
    let value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (value.length > HEADER_VALUE_LIMIT) value = `${value.slice(0, HEADER_VALUE_LIMIT)}… (${value.length} characters)`;
    value = CREDENTIAL_HEADERS.has(name) ? maskCredential(name, value) : maskText(value);
    if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    else out[name] = value;
  }
  return out;
}

/** A raw query string fit for the journal: secret-named values masked, cut at 4 KiB. */
export function journalQuery(raw: string): string {
  return maskText(raw.length > STRING_LIMIT ? `${raw.slice(0, STRING_LIMIT)}… (${raw.length} characters)` : raw);
}

/**
 * Copy of a params object (or a body) fit for the journal: secrets replaced, by key name and inside
 * texts; tokens stay visible because they are what users debug. The copy is bounded, so a client
 * sending megabyte fields or thousands of keys cannot make the bounded journal large.
 */
export function maskSecrets(value: unknown): unknown {
  const budget = { left: BUDGET };
  return maskValue(value, 0, budget);
}

function maskValue(value: unknown, depth: number, budget: { left: number }): unknown {
  if (typeof value === 'string') {
    if (budget.left <= 0) return '…';
    const clipped = value.length > STRING_LIMIT ? `${value.slice(0, STRING_LIMIT)}… (${value.length} characters)` : value;
    budget.left -= clipped.length;
    return maskText(clipped);
  }
  if (value === null || typeof value !== 'object') return value;
  budget.left -= 16;
  if (depth >= DEPTH_LIMIT || budget.left <= 0) return '…';
  if (Array.isArray(value)) {
    const out = value.slice(0, ENTRIES_LIMIT).map((v) => maskValue(v, depth + 1, budget));
    if (value.length > ENTRIES_LIMIT) out.push(`… (${value.length - ENTRIES_LIMIT} more)`);
    return out;
  }
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  const n = Math.min(keys.length, ENTRIES_LIMIT);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    const v = (value as Record<string, unknown>)[k];
    const masked = isSecret(k) && v !== '' && v !== undefined && v !== null ? MASK : maskValue(v, depth + 1, budget);
    // A "__proto__" key must stay a plain field of the copy, not set its prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: masked, enumerable: true, writable: true, configurable: true });
    else out[k] = masked;
  }
  if (keys.length > ENTRIES_LIMIT) out['…'] = `${keys.length - ENTRIES_LIMIT} more fields`;
  return out;
}

/**
 * An exchange as the journal shows it: its request's query and body and its answer's body masked and
 * bounded. The dispatcher records the request as parsed and the answer as given (its `data`, or its
 * text cut at 4 KiB); the journal masks them when the entry is first read (a listing, the event
 * stream, export, another process), so a request nobody looks at does not pay for deep copies and the
 * regular expressions. Params and reply data are values: nothing changes them once answered.
 */
export function maskEntry(entry: Pick<JournalEntry, 'request' | 'response'>): void {
  entry.request.query = maskSecrets(entry.request.query) as Record<string, unknown>;
  entry.request.body = maskSecrets(entry.request.body);
  entry.response.body = maskSecrets(entry.response.body);
}

/** An exchange this large is masked (and so bounded) at once: the journal must not hold a thousand big bodies whole. */
const MASK_AT_ONCE_CHARS = BUDGET;

export class Journal {
  private entries: JournalEntry[] = [];
  private start = 0;
  private nextId = 1;
  private readonly listeners = new Set<(entry: JournalEntry) => void>();
  /** Per slot of `entries`: the entry is not masked yet (it is on its first read). A flag per slot, not a WeakSet: that cost more than the masking it saved. */
  private unmasked: boolean[] = [];

  constructor(private readonly capacity = 1000) {}

  /**
   * Keep one exchange as it was asked and answered (masked when read, see maskEntry); `size` is the
   * length of its texts (the request's body and query, the answer's). A journal shared by several
   * processes answers with a promise, once the store has it (masked).
   */
  record(entry: Omit<JournalEntry, 'id'>, size = 0): JournalEntry | Promise<JournalEntry> {
    const full = { id: this.nextId++, ...entry };
    if (size <= MASK_AT_ONCE_CHARS) return this.insert(full, true);
    maskEntry(full);
    return this.insert(full);
  }

  /** `later`: the entry is not masked yet, and may wait until someone reads it. */
  protected insert(full: JournalEntry, later = false): JournalEntry {
    // Whoever follows the journal reads every entry as it comes: no reason to wait then.
    const pending = later && this.listeners.size === 0;
    if (later && !pending) maskEntry(full);
    let slot = this.entries.length;
    if (slot < this.capacity) this.entries.push(full);
    else {
      slot = this.start;
      this.entries[slot] = full;
      this.start = (this.start + 1) % this.capacity;
    }
    this.unmasked[slot] = pending;
    for (const l of this.listeners) l(full);
    return full;
  }

  /** Newest first: the exchanges this process knows of. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    const n = this.entries.length;
    const limit = filter.limit ?? this.capacity;
    const match = Journal.compile(filter);
    for (let i = n - 1; i >= 0 && out.length < limit; i--) {
      const slot = (this.start + i) % n;
      const e = this.entries[slot];
      if (match && !match.test(entrySubject(e))) continue;
      if (this.unmasked[slot]) {
        maskEntry(e);
        this.unmasked[slot] = false;
      }
      out.push(e);
    }
    return out;
  }

  /** Newest first: every exchange, whichever process of a shared sandbox served it. */
  async listAll(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    return this.list(filter);
  }

  static filter(newestFirst: readonly JournalEntry[], filter: JournalFilter, capacity: number): JournalEntry[] {
    const out: JournalEntry[] = [];
    const limit = filter.limit ?? capacity;
    const match = Journal.compile(filter);
    for (const e of newestFirst) {
      if (out.length >= limit) break;
      if (!match || match.test(entrySubject(e))) out.push(e);
    }
    return out;
  }

  /** The filter's matcher, or nothing when it selects every entry. */
  private static compile(filter: JournalFilter): CompiledMatch | undefined {
    const { limit: _limit, ...match } = filter;
    const compiled = new CompiledMatch(match);
    return compiled.size ? compiled : undefined;
  }

  clear(): void {
    this.entries = [];
    this.unmasked = [];
    this.start = 0;
  }

  /** Empty the journal everywhere (every process of a shared sandbox). */
  async clearAll(): Promise<void> {
    this.clear();
  }

  get size(): number {
    return this.entries.length;
  }

  subscribe(listener: (entry: JournalEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
