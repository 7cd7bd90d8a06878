import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Why a body could not be taken: over the limit, or broken (a bad encoding, a dropped connection). */
export type TransportFailure = 'too_large' | 'unreadable';

/** A multipart/form-data body as it was streamed: its fields, and what its file parts were (never their bytes). */
export interface MultipartForm {
  /** Fields in the order they came, as [name, value]; a name may repeat. */
  fields: [string, string][];
  /** `md5`: lower-case hex of the part's bytes (SOP checks it against a field of the same name). */
  files: { name: string; filename: string; contentType: string; size: number; md5: string }[];
  /** Why the body could not be read as multipart (no boundary, cut short): fields and files are then empty. */
  error?: string;
}

/** `note`: for the journal, which limit a body was over and how to raise it. */
export type BodyResult = { ok: true; body: Buffer | undefined; form?: MultipartForm } | { ok: false; failure: TransportFailure; note?: string };

/**
 * How much of a body may arrive. `held`: the bytes kept in memory (a whole form, JSON or text body; a
 * multipart body's fields and part headers). `upload`: a whole multipart/form-data body, whose file parts
 * are streamed (counted and hashed, never kept), so that it may be as large as the platform admits.
 */
export interface BodyLimits {
  held: number;
  upload: number;
}

/**
 * What each multipart part costs against the held limit besides its name, filename, type and value: the
 * record kept of it. Without it, many empty parts (a few dozen wire bytes each) would fill memory and
 * the event loop within the larger upload limit.
 */
const HELD_BYTES_PER_PART = 128;

/**
 * Read a request body once, within `limits`. The common case (identity encoding) is a plain
 * chunk collector: cheaper than body-parser's generic pipeline on the hot path. Compressed bodies,
 * which few OAuth clients send, go through body-parser, which knows gzip, deflate and br.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits, done: (result: BodyResult) => void): void {
  const headers = req.headers;
  const encoding = headers['content-encoding'];
  // A compressed body is inflated whole into memory: the held limit, multipart or not.
  if (encoding && encoding.toLowerCase() !== 'identity') return readEncoded(req, limits.held, done);
  const declared = headers['content-length'];
  if (declared === undefined && headers['transfer-encoding'] === undefined) return done({ ok: true, body: undefined });
  const multipart = MULTIPART.test(headers['content-type'] ?? '');
  const limit = multipart ? limits.upload : limits.held;
  if (declared !== undefined && Number(declared) > limit) {
    // Answer at once; Node discards the unread body or closes the connection after the reply.
    req.resume();
    return done(multipart ? overUpload(limits) : overHeld(limits));
  }
  if (multipart) return readMultipart(req, limits, done);
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
    if (size > limits.held) {
      req.resume();
      return settle(overHeld(limits));
    }
    chunks.push(chunk);
  };
  req.on('data', onData);
  req.once('end', () => settle({ ok: true, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) }));
  req.once('aborted', () => settle({ ok: false, failure: 'unreadable' }));
  req.once('error', () => settle({ ok: false, failure: 'unreadable' }));
}

const overHeld = (limits: Pick<BodyLimits, 'held'>): BodyResult => ({
  ok: false,
  failure: 'too_large',
  note: `the body is larger than --body-limit (bodyLimit), ${limits.held} bytes`,
});
const overUpload = (limits: BodyLimits): BodyResult => ({
  ok: false,
  failure: 'too_large',
  note: `the multipart body is larger than --upload-limit (uploadLimit), ${limits.upload} bytes`,
});
const overHeldParts = (limits: BodyLimits): BodyResult => ({
  ok: false,
  failure: 'too_large',
  note: `the multipart body's fields and part headers are larger than --body-limit (bodyLimit), ${limits.held} bytes (each part counts ${HELD_BYTES_PER_PART} bytes besides its name, filename, type and value)`,
});

type RawParser = (req: IncomingMessage, res: unknown, next: (err?: unknown) => void) => void;
let rawParsers: Map<number, RawParser> | undefined;

function readEncoded(req: IncomingMessage, limit: number, done: (result: BodyResult) => void): void {
  void import('body-parser').then(({ default: bodyParser }) => {
    rawParsers ??= new Map();
    let parse = rawParsers.get(limit);
    if (!parse) rawParsers.set(limit, (parse = bodyParser.raw({ type: () => true, limit }) as unknown as RawParser));
    parse(req, undefined, (err?: unknown) => {
      if (err) return done((err as { type?: string }).type === 'entity.too.large' ? overHeld({ held: limit }) : { ok: false, failure: 'unreadable' });
      const body = (req as IncomingMessage & { body?: unknown }).body;
      done({ ok: true, body: Buffer.isBuffer(body) ? body : undefined });
    });
  });
}

const MULTIPART = /^\s*multipart\/form-data\s*(;|$)/i;

type Busboy = typeof import('busboy');
let busboyModule: Promise<Busboy> | undefined;

/**
 * multipart/form-data, streamed through busboy as it arrives: fields are kept, file parts are counted,
 * hashed and dropped. The whole body is held to `limits.upload` bytes, and what is kept of it (each
 * part's name, filename and type, each field's value, HELD_BYTES_PER_PART per part) to `limits.held`.
 * Filenames are read as UTF-8 (the SDKs' HTTP libraries write them raw) and kept as sent. A body that
 * is not valid multipart is not a transport failure: it reads as a form with no fields, as the
 * platforms' servers read it (they log and go on).
 */
function readMultipart(req: IncomingMessage, limits: BodyLimits, done: (result: BodyResult) => void): void {
  busboyModule ??= import('busboy').then((m) => m.default);
  void busboyModule.then((busboy) => {
    let settled = false;
    let size = 0;
    let held = 0;
    let parser: ReturnType<Busboy> | undefined;
    function settle(result: BodyResult): void {
      if (settled) return;
      settled = true;
      req.removeListener('data', count);
      if (parser) req.unpipe(parser);
      // Whatever is left of the body is drained; Node closes the connection if it is too much.
      if (!result.ok || result.form?.error !== undefined) req.resume();
      done(result);
    }
    function count(chunk: Buffer): void {
      size += chunk.length;
      if (size > limits.upload) settle(overUpload(limits));
    }
    function hold(bytes: number): boolean {
      held += bytes + HELD_BYTES_PER_PART;
      if (held <= limits.held) return true;
      settle(overHeldParts(limits));
      return false;
    }
    const broken = (why: string) => settle({ ok: true, body: undefined, form: { fields: [], files: [], error: why } });
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', preservePath: true, limits: { fieldSize: limits.held, fieldNameSize: 1024 } });
    } catch (e) {
      return broken((e as Error).message);
    }
    const form: MultipartForm = { fields: [], files: [] };
    req.on('data', count);
    parser.on('field', (name, value, info) => {
      // A value cut at busboy's fieldSize is over the held limit: refused, never read as a shorter value.
      if (info.valueTruncated) return void settle(overHeldParts(limits));
      if (hold(name.length + Buffer.byteLength(value))) form.fields.push([name, value]);
    });
    parser.on('file', (name, stream, info) => {
      if (!hold(name.length + (info.filename ?? '').length + info.mimeType.length)) return void stream.resume();
      const file = { name, filename: info.filename ?? '', contentType: info.mimeType, size: 0, md5: '' };
      form.files.push(file);
      const hash = createHash('md5');
      stream.on('data', (chunk: Buffer) => {
        file.size += chunk.length;
        hash.update(chunk);
      });
      stream.on('end', () => (file.md5 = hash.digest('hex')));
    });
    parser.on('close', () => settle({ ok: true, body: undefined, form }));
    parser.on('error', (e: Error) => broken(e.message));
    req.once('aborted', () => settle({ ok: false, failure: 'unreadable' }));
    req.once('error', () => settle({ ok: false, failure: 'unreadable' }));
    req.pipe(parser);
  });
}
