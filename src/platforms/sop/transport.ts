import { jsonToParams, parseForm, parseJson } from '../../core/http/params.js';
import type { PlatformRequest } from '../../core/platform.js';

function bodyParams(req: PlatformRequest): Record<string, string> {
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
 * The gateway's params (§3.2): GET reads the query; POST reads the form or JSON body, with the query
 * string merged under it, because Alipay-protocol clients (npm alipay-sdk) put the public params in
 * the URL. `strict` is real SOP's behaviour: a POST's query string is ignored.
 */
export function readGatewayParams(req: PlatformRequest, strict: boolean): Record<string, string> {
  if (req.method === 'GET' || req.method === 'HEAD') return req.query;
  const body = bodyParams(req);
  if (strict) return body;
  const out: Record<string, string> = Object.assign(Object.create(null), req.query);
  for (const k in body) out[k] = body[k];
  return out;
}
