import type { ServerResponse } from 'node:http';
import type { Reply } from '../platform.js';
import { internalErrorBody } from '../errors/internal-error.js';
import { JSON_UTF8, TEXT_UTF8 } from './reply.js';

/**
 * A header value Node will write: a redirect built from a client's redirect_uri may hold line breaks or
 * non-Latin-1 text, which would make writeHead throw and leave the client without an answer. Such
 * characters go percent-encoded as UTF-8, as a browser would send them.
 */
export function headerValue(value: string): string {
  if (!/[^\t\x20-\x7e]/.test(value)) return value;
  return Array.from(value, (ch) => {
    if (ch === '\t' || (ch >= ' ' && ch <= '~')) return ch;
    return Array.from(Buffer.from(ch, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }).join('');
}

/** Drop the connection without an answer: at once with a TCP reset, or closed after nothing ("empty"). */
function breakConnection(res: ServerResponse, how: 'reset' | 'empty'): void {
  if (how === 'reset') res.socket?.resetAndDestroy?.();
  else res.socket?.end();
  res.socket?.destroy();
}

/**
 * The single place where a reply becomes bytes on the wire. Whatever a reply holds, writing it never
 * throws: a header Node refuses (a fault rule's, say) turns into a 500 for this request alone.
 */
export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  if (reply.transport) return breakConnection(res, reply.transport);
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(reply.body) };
  for (const name in reply.headers) headers[name] = headerValue(reply.headers[name]);
  if (reply.contentType) headers['content-type'] = headerValue(reply.contentType);
  else if (reply.body !== '') headers['content-type'] = TEXT_UTF8;
  try {
    res.writeHead(reply.status, headers);
  } catch (e) {
    const body = JSON.stringify(internalErrorBody(`The answer could not be written (${(e as Error).message}).`));
    res.writeHead(500, { 'content-type': JSON_UTF8, 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.end(reply.body);
}
