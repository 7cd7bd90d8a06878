import type { IncomingMessage } from 'node:http';
import { journalHeaders, journalQuery, type JournalEntry } from '../journal.js';
import type { Reply } from '../platform.js';

/** What the journal keeps of a request body or an answer's text, at most. */
const JOURNAL_TEXT_LIMIT = 4096;

/** Where a request stands when it arrives: when, its URL, where its query starts, its decoded path. */
export interface Arrival {
  started: number;
  url: string;
  q: number;
  pathname: string;
}

/** The media type of a Content-Type header, lower-case, without parameters ('' when there is none). */
export function mediaType(header: string | undefined): string {
  if (!header) return '';
  const semi = header.indexOf(';');
  return (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
}

/** What the journal keeps of how a request arrived: its headers, raw query, content type and body size. */
export function arrivalFacts(
  req: IncomingMessage,
  at: Arrival,
  body: Buffer | undefined,
  contentType: string,
): Omit<JournalEntry['request'], 'query' | 'body'> {
  const declared = Number(req.headers['content-length']);
  const bodySize = body ? body.length : Number.isSafeInteger(declared) && declared >= 0 ? declared : 0;
  return {
    contentType: contentType || undefined,
    headers: journalHeaders(req.headers),
    ...(at.q < 0 ? {} : { rawQuery: journalQuery(at.url.slice(at.q + 1)) }),
    bodySize,
  };
}

/** A request body as the journal shows it when nothing parsed it: its text, cut at 4 KiB. */
export function bodyText(body: Buffer | undefined): string | undefined {
  if (!body || body.length === 0) return undefined;
  const text = body.subarray(0, JOURNAL_TEXT_LIMIT).toString('utf8');
  return body.length > JOURNAL_TEXT_LIMIT ? `${text}… (${body.length} bytes)` : text;
}

/** An answer as the journal keeps it: its data when it has some, else its text cut at 4 KiB. */
export function journalBody(reply: Reply): unknown {
  if (reply.data !== undefined) return reply.data;
  return reply.body.length > JOURNAL_TEXT_LIMIT ? `${reply.body.slice(0, JOURNAL_TEXT_LIMIT)}…` : reply.body;
}
