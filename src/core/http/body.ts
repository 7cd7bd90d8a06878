import type { IncomingMessage } from 'node:http';

/** Why a body could not be taken: over the limit, or broken (a bad encoding, a dropped connection). */
export type TransportFailure = 'too_large' | 'unreadable';

export type BodyResult = { ok: true; body: Buffer | undefined } | { ok: false; failure: TransportFailure };

/**
 * Read a request body once, up to `limit` bytes. The common case (identity encoding) is a plain
 * chunk collector: cheaper than body-parser's generic pipeline on the hot path. Compressed bodies,
 * which few OAuth clients send, go through body-parser, which knows gzip, deflate and br.
 */
export function readBody(req: IncomingMessage, limit: number, done: (result: BodyResult) => void): void {
  const headers = req.headers;
  const encoding = headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') return readEncoded(req, limit, done);
  const declared = headers['content-length'];
  if (declared === undefined && headers['transfer-encoding'] === undefined) return done({ ok: true, body: undefined });
  if (declared !== undefined && Number(declared) > limit) {
    // Answer at once; Node discards the unread body or closes the connection after the reply.
    req.resume();
    return done({ ok: false, failure: 'too_large' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (result: BodyResult) => {
    if (settled) return;
    settled = true;
    req.removeListener('data', onData);
    done(result);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      return settle({ ok: false, failure: 'too_large' });
    }
    chunks.push(chunk);
  };
  req.on('data', onData);
  req.once('end', () => settle({ ok: true, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) }));
  req.once('aborted', () => settle({ ok: false, failure: 'unreadable' }));
  req.once('error', () => settle({ ok: false, failure: 'unreadable' }));
}

type RawParser = (req: IncomingMessage, res: unknown, next: (err?: unknown) => void) => void;
let rawParsers: Map<number, RawParser> | undefined;

function readEncoded(req: IncomingMessage, limit: number, done: (result: BodyResult) => void): void {
  void import('body-parser').then(({ default: bodyParser }) => {
    rawParsers ??= new Map();
    let parse = rawParsers.get(limit);
    if (!parse) rawParsers.set(limit, (parse = bodyParser.raw({ type: () => true, limit }) as unknown as RawParser));
    parse(req, undefined, (err?: unknown) => {
      if (err) return done({ ok: false, failure: (err as { type?: string }).type === 'entity.too.large' ? 'too_large' : 'unreadable' });
      const body = (req as IncomingMessage & { body?: unknown }).body;
      done({ ok: true, body: Buffer.isBuffer(body) ? body : undefined });
    });
  });
}
