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
 * How a gateway call reads in the journal: its params, and for a multipart upload each file part under its
 * field name as {filename, contentType, size}, the way the form looked on the wire, without the bytes.
 */
export function journalGatewayParams(params: Record<string, string>, req: PlatformRequest): unknown {
  const form = req.form;
  if (!form || (form.files.length === 0 && form.error === undefined)) return params;
  const out: Record<string, unknown> = { ...params };
  for (const f of form.files) {
    const part = { filename: f.filename, contentType: f.contentType, size: f.size };
    const seen = out[f.name];
    out[f.name] = seen === undefined ? part : Array.isArray(seen) ? [...seen, part] : [seen, part];
  }
  if (form.error !== undefined) out['(multipart)'] = `not readable: ${form.error}`;
  return out;
}
