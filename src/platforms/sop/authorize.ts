import { parseForm } from '../../core/http/params.js';
import { redirectReply } from '../../core/http/reply.js';
import type { EndpointContext, PlatformRequest, Reply } from '../../core/platform.js';
import { REDIRECT_URI_MISSING, refuse, type SopEndpoint } from './errors.js';
import type { SopFixture } from './fixture.js';
import { SOP } from './id.js';
import { loginPage } from './login-page.js';
import type { SopIndex } from './lookups.js';

type Ctx = EndpointContext<SopFixture, SopIndex>;
type Params = Record<string, string>;

/** `redirect_uri` plus params, after any query it already has (as Oltu's buildQueryMessage does). */
function withQuery(uri: string, params: Record<string, string>): string {
  const hash = uri.indexOf('#');
  const base = hash < 0 ? uri : uri.slice(0, hash);
  const query = new URLSearchParams(params).toString();
  return `${base}${base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?'}${query}`;
}

/** GET /oauth2/appToAppAuth?app_id=..&redirect_uri=..: the login form. Like SOP, no check happens before the post. */
function appToAppAuth(query: Params, ctx: Ctx): Reply {
  const app = query.app_id ? ctx.index.apps.get(query.app_id) : undefined;
  return loginPage({ clientId: query.app_id ?? '', redirectUri: query.redirect_uri ?? '', appName: app?.name });
}

/** A servlet's getParameter sees the query string and the form alike (the journal masks the password by its name). */
function readForm(req: PlatformRequest): Params {
  const body = req.contentType === 'application/x-www-form-urlencoded' && req.rawBody ? parseForm(req.rawBody.toString('utf8')) : {};
  return Object.assign(Object.create(null), req.query, body);
}

/**
 * POST /oauth2/authorize, the form's target (docs/platforms/sop.md#authorization). Order: redirect_uri,
 * response_type, client, credentials; success is a 302 to `redirect_uri?app_id=..&code=..`.
 */
async function authorize(p: Params, ctx: Ctx): Promise<Reply> {
  if (!p.redirect_uri) throw refuse(REDIRECT_URI_MISSING);
  // Oltu sends request errors back to the client with ?error= (Assumed: the sandbox follows it).
  if (!p.response_type)
    return redirectReply(withQuery(p.redirect_uri, { error: 'invalid_request', error_description: 'Missing response_type parameter value' }));
  if (p.response_type !== 'code')
    return redirectReply(withQuery(p.redirect_uri, { error: 'unsupported_response_type', error_description: 'Invalid response_type parameter value' }));
  const app = p.client_id ? ctx.index.apps.get(p.client_id) : undefined;
  if (!app) throw refuse('invalid_client');
  // A refused login shows the form again with the catalogue's text: the renderer draws it, as for an injected one.
  if (!p.username || !p.password) throw refuse('empty_credentials');
  const user = ctx.index.users.get(p.username);
  if (!user || user.password !== p.password || (user.apps && !user.apps.includes(app.appId))) throw refuse('bad_credentials');
  const code = await ctx.world.tokens.issueCode({ platform: SOP, appId: app.appId, subject: user.userId, data: { redirectUri: p.redirect_uri } });
  return redirectReply(withQuery(p.redirect_uri, { app_id: app.appId, code: code.value }));
}

export const authorizeEndpoints: SopEndpoint<Params>[] = [
  { method: 'GET', path: '/oauth2/appToAppAuth', name: 'appToAppAuth', surface: 'page', tags: ['oauth'], parse: (req) => req.query, handle: appToAppAuth },
  { method: 'POST', path: '/oauth2/authorize', name: 'authorize', surface: 'page', tags: ['oauth', 'authorize'], parse: readForm, handle: authorize },
];
