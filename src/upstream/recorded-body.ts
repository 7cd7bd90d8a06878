import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { parseForm, type SecretMask } from './secret-fields.js';

/**
 * A body as a recording shows it: parsed where the content type says how, so a person reads fields,
 * not escapes, and every secret can be found by its name. Bytes the recording cannot read (files,
 * images, a body that does not decode) are kept as their size and MD5 only, never as content.
 */
export type RecordedBody =
  | { json: unknown }
  | { form: [string, string][] }
  | { multipart: { fields: [string, string][]; files: { name: string; filename: string; contentType: string; bytes: number; md5: string }[] } }
  | { text: string }
  | { binary: { bytes: number; md5: string } };

/** What a recorded body holds, and how many bytes went over the wire. */
export interface RecordedPayload {
  bytes: number;
  contentEncoding?: string;
  body?: RecordedBody;
}

/** The largest decompressed body a recording reads (a zip bomb stays a size and an MD5). */
const MAX_DECODED = 16 * 1024 * 1024;

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

export function recordBody(bytes: Buffer | undefined, contentType: string, contentEncoding: string | undefined, mask: SecretMask): RecordedPayload {
  const size = bytes?.length ?? 0;
  const encoding = contentEncoding?.trim().toLowerCase();
  const payload: RecordedPayload = { bytes: size, ...(encoding && encoding !== 'identity' ? { contentEncoding: encoding } : {}) };
  if (!bytes || size === 0) return payload;
  const plain = decode(bytes, encoding);
  if (!plain) return { ...payload, body: { binary: { bytes: size, md5: md5(bytes) } } };
  payload.body = readable(plain, contentType, mask);
  return payload;
}

function decode(bytes: Buffer, encoding: string | undefined): Buffer | undefined {
  try {
    if (!encoding || encoding === 'identity') return bytes;
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(bytes, { maxOutputLength: MAX_DECODED });
    if (encoding === 'deflate') return inflateSync(bytes, { maxOutputLength: MAX_DECODED });
    if (encoding === 'br') return brotliDecompressSync(bytes, { maxOutputLength: MAX_DECODED });
  } catch {
    // A body that does not decode is recorded as bytes.
  }
  return undefined;
}

function readable(bytes: Buffer, typeHeader: string, mask: SecretMask): RecordedBody {
  const contentType = typeHeader.trim().toLowerCase();
  if (contentType.startsWith('multipart/form-data')) {
    // The boundary as written: its case matters.
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(typeHeader);
    const form = boundary ? multipart(bytes, boundary[1] ?? boundary[2]!) : undefined;
    if (form) return { multipart: { fields: mask.formPairs(form.fields), files: form.files.map((f) => ({ ...f, filename: mask.text(f.filename) })) } };
    return { binary: { bytes: bytes.length, md5: md5(bytes) } };
  }
  const text = bytes.toString('utf8');
  // Bytes that are not UTF-8 text (a file, an image) are not shown.
  if (text.includes('\uFFFD') || hasControlBytes(bytes)) return { binary: { bytes: bytes.length, md5: md5(bytes) } };
  if (contentType.includes('json') || (contentType === '' && /^\s*[{[]/.test(text))) {
    try {
      return { json: mask.value(JSON.parse(text)) };
    } catch {
      // Not JSON after all: recorded as text.
    }
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) return { form: mask.formPairs(parseForm(text)) };
  return { text: mask.text(text) };
}

/** A multipart/form-data body cut at its boundary: text fields, and files by name, size and MD5. */
function multipart(
  bytes: Buffer,
  boundary: string,
): { fields: [string, string][]; files: { name: string; filename: string; contentType: string; bytes: number; md5: string }[] } | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: [string, string][] = [];
  const files: { name: string; filename: string; contentType: string; bytes: number; md5: string }[] = [];
  let at = bytes.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    const start = at + delimiter.length;
    if (bytes.subarray(start, start + 2).toString() === '--') break;
    const next = bytes.indexOf(delimiter, start);
    if (next < 0) return undefined;
    const part = bytes.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const head = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /;\s*name="([^"]*)"/i.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (filename === undefined) fields.push([name, content.toString('utf8')]);
    else files.push({ name, filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? '', bytes: content.length, md5: md5(content) });
    at = next;
  }
  return { fields, files };
}

/** Bytes no text holds (NUL and the other C0 controls but tab, line breaks, form feed): a file, not a text. */
function hasControlBytes(bytes: Buffer): boolean {
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) return true;
  return false;
}
