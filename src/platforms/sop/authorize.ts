import { jsonReply, redirectReply } from '../../core/http/reply.js';
import { parseForm } from '../../core/http/params.js';
import type { Endpoint, PlatformRequest, Reply } from '../../core/platform.js';
import { findApp, fixtureOf, SOP } from './context.js';
import { loginPage } from './login-page.js';

/** `redirect_uri` plus params, after any query it already has (as Oltu's buildQueryMessage does). */
function withQuery(uri: string, params: Record<string, string>): string {
  const hash = uri.indexOf('#');
  const base = hash < 0 ? uri : uri.slice(0, hash);
  const query = new URLSearchParams(params).toString();
  return `${base}${base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?'}${query}`;
}

/** GET /oauth2/appToAppAuth?app_id=..&redirect_uri=..: the login form (§3.1). Like SOP, no check happens before the post. */
function appToAppAuth(req: PlatformRequest): Reply {
  const app = req.query.app_id ? findApp(fixtureOf(req.world), req.query.app_id) : undefined;
  const reply = loginPage({ clientId: req.query.app_id ?? '', redirectUri: req.query.redirect_uri ?? '', appName: app?.name });
  reply.params = req.query;
  return reply;
}

/**
 * POST /oauth2/authorize, the form's target. Order: redirect_uri, response_type, client, credentials;
 * success is a 302 to `redirect_uri?app_id=..&code=..`.
 */
async function authorize(req: PlatformRequest): Promise<Reply> {
  const world = req.world;
  const fixture = fixtureOf(world);
  const body = req.contentType === 'application/x-www-form-urlencoded' && req.rawBody ? parseForm(req.rawBody.toString('utf8')) : {};
  // A servlet's getParameter sees the query string and the form alike.
  const p: Record<string, string> = Object.assign(Object.create(null), req.query, body);
  // The journal masks the password by its key name.
  const done = (reply: Reply): Reply => Object.assign(reply, { params: p });
  if (!p.redirect_uri) {
    const e = fixture.redirectUriError;
    return done({ status: e.status, contentType: e.contentType, body: e.body, data: e.body });
  }
  // Oltu sends request errors back to the client with ?error= (Assumed: the sandbox follows it).
  if (!p.response_type) return done(redirectReply(withQuery(p.redirect_uri, { error: 'invalid_request', error_description: 'Missing response_type parameter value' })));
  if (p.response_type !== 'code') return done(redirectReply(withQuery(p.redirect_uri, { error: 'unsupported_response_type', error_description: 'Invalid response_type parameter value' })));
  const app = p.client_id ? findApp(fixture, p.client_id) : undefined;
  if (!app) return done(jsonReply({ error: 'invalid_client', error_description: 'invalid_client' }, 400));
  const page = { clientId: p.client_id, redirectUri: p.redirect_uri, appName: app.name, username: p.username };
  if (!p.username || !p.password) return done(loginPage({ ...page, error: '用户名密码不能为空' }));
  const user = fixture.users.find((u) => u.username === p.username);
  if (!user || user.password !== p.password || (user.apps && !user.apps.includes(app.appId))) {
    return done(loginPage({ ...page, error: '用户名密码不正确' }));
  }
  const code = world.tokens.issueCode({ platform: SOP, appId: app.appId, subject: user.userId, data: { redirectUri: p.redirect_uri } });
  await world.persist();
  return done(redirectReply(withQuery(p.redirect_uri, { app_id: app.appId, code: code.value })));
}

export const authorizeEndpoints: Endpoint[] = [
  { method: 'GET', path: '/oauth2/appToAppAuth', name: 'appToAppAuth', tags: ['oauth'], handle: appToAppAuth },
  { method: 'POST', path: '/oauth2/authorize', name: 'authorize', tags: ['oauth', 'authorize'], handle: authorize },
];
