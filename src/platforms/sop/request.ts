import { jsonToParams, parseForm, parseJson } from '../../core/http/params.js';
import type { PlatformRequest } from '../../core/platform.js';

function bodyParams(req: PlatformRequest): Record<string, string> {
  if (req.form) {
    // Real SOP puts each multipart field into a HashMap as it parses (RequestUtil.getUploadInfo): a repeated
    // name keeps its last value. File parts are not params, so they are never signed.
    const out: Record<string, string> = Object.create(null);
    for (const [name, value] of req.form.fields) out[name] = value;
    return out;
  }
  const text = req.rawBody && req.rawBody.length ? req.rawBody.toString('utf8') : '';
  if (text === '') return Object.create(null) as Record<string, string>;
  if (req.contentType.includes('json')) {
    const parsed = parseJson(text);
    return (parsed.ok && jsonToParams(parsed.value)) || (Object.create(null) as Record<string, string>);
  }
  if (req.contentType === 'application/x-www-form-urlencoded') return parseForm(text);
  return Object.create(null) as Record<string, string>;
}

/**
 * The gateway's params (docs/platforms/sop.md#gateway): GET reads the query; POST reads the form, JSON or multipart body (its fields;
 * every official SOP SDK uploads files that way), with the query string merged under it, because
 * Alipay-protocol clients (npm alipay-sdk) put the public params in the URL. `strict` is real SOP's
 * behaviour: a POST's query string is ignored.
 */
export function readGatewayParams(req: PlatformRequest, strict: boolean): Record<string, string> {
  if (req.method === 'GET' || req.method === 'HEAD') return req.query;
  const body = bodyParams(req);
  if (strict) return body;
  const out: Record<string, string> = Object.assign(Object.create(null), req.query);
  for (const k in body) out[k] = body[k];
  return out;
}

/**
 * File parts journaled per request. The journal shows at most 64 entries per object anyway (maskSecrets), and a
 * body of empty parts holds tens of thousands of them: past this many, the rest are only counted.
 */
export const JOURNALED_FILE_PARTS = 64;

/**
 * How a gateway call reads in the journal: its params, and for a multipart upload each file part under its
 * field name as {filename, contentType, size}, the way the form looked on the wire, without the bytes. Linear
 * in the parts (each name's list grows in place) and capped: this runs for every gateway request, token or not.
 */
export function journalGatewayParams(params: Record<string, string>, req: PlatformRequest): unknown {
  const form = req.form;
  if (!form || (form.files.length === 0 && form.error === undefined)) return params;
  const notes: Record<string, string> = {};
  // The notes come first: the journal shows an object's first 64 fields, and these say what the rest hides.
  if (form.error !== undefined) notes['(multipart)'] = `not readable: ${form.error}`;
  const kept = Math.min(form.files.length, JOURNALED_FILE_PARTS);
  if (form.files.length > kept) notes['(file parts)'] = `${form.files.length - kept} more file parts not journaled (${form.files.length} in all)`;
  // Spread, not Object.assign: a param named "__proto__" is copied as a field, never set as a prototype.
  const out: Record<string, unknown> = { ...notes, ...params };
  const lists = new Map<string, unknown[]>();
  for (let i = 0; i < kept; i++) {
    const f = form.files[i]!;
    const part = { filename: f.filename, contentType: f.contentType, size: f.size };
    const list = lists.get(f.name);
    if (list) list.push(part);
    else lists.set(f.name, [part]);
  }
  for (const [name, list] of lists) {
    // A field sent under a part's name (the MD5 SOP checks) comes first, as on the wire.
    if (Object.hasOwn(params, name)) list.unshift(params[name]);
    const value = list.length === 1 ? list[0] : list;
    // A part named "__proto__" must stay a field of the copy, not set its prototype.
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
