import { refuse } from './errors.js';
import { looksLikeForm, parseForm } from '../../core/http/params.js';
import type { PlatformRequest } from '../../core/platform.js';
import { CALLBACK_URL_MISSING } from './errors.js';

export type Params = Record<string, string>;

/** Query-string params overlaid by body params, as a servlet's getParameter sees them. */
function mergedParams(req: PlatformRequest, body: Params): Params {
  const out: Params = Object.assign(Object.create(null), req.query);
  for (const k in body) out[k] = body[k];
  return out;
}

/**
 * The three OAuth endpoints answer "OAuth callback url needs to be provided!" when the request is not
 * a form post, the body is not a query string, or redirect_uri is missing or empty
 * (docs/platforms/mantun.md#the-callback-url-error).
 */
export function readOAuthForm(req: PlatformRequest): Params {
  if (req.contentType !== 'application/x-www-form-urlencoded') throw refuse(CALLBACK_URL_MISSING);
  const text = req.rawBody ? req.rawBody.toString('utf8') : '';
  if (!looksLikeForm(text)) throw refuse(CALLBACK_URL_MISSING);
  const params = mergedParams(req, parseForm(text));
  if (!params.redirect_uri) throw refuse(CALLBACK_URL_MISSING);
  return params;
}

/** router.as reads form params (and the query string); other bodies simply carry no params. */
export function readRouterForm(req: PlatformRequest): Params {
  const text = req.contentType === 'application/x-www-form-urlencoded' && req.rawBody ? req.rawBody.toString('utf8') : '';
  return mergedParams(req, parseForm(text));
}

export function requireParams(params: Params, names: readonly string[]): void {
  const missing = names.filter((n) => !params[n]);
  if (missing.length) throw refuse('invalid_request', `missing parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
}
