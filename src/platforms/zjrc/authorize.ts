import { looksLikeForm, parseForm } from '../../core/http/params.js';
import { redirectReply } from '../../core/http/reply.js';
import type { EndpointContext, PlatformRequest, Reply } from '../../core/platform.js';
import { refuse, type ZjrcEndpoint } from './errors.js';
import type { ZjrcFixture } from './fixture.js';
import { ZJRC } from './id.js';
import type { ZjrcIndex } from './lookups.js';
import { authorizeRequestOf, renderLoginForm, type AuthorizeRequest } from './authorize-page.js';
import { isZjrcScope } from './scopes.js';

type Ctx = EndpointContext<ZjrcFixture, ZjrcIndex>;
type Params = Record<string, string>;

/** appId, redirectUri and scope are checked before anything is shown: a bad one never redirects. */
function check(index: ZjrcIndex, params: Params): AuthorizeRequest {
  if (!params.appId) throw refuse('page_missing_param', 'appId');
  const app = index.apps.get(params.appId);
  if (!app) throw refuse('unknown_app', params.appId);
  if (!params.redirectUri) throw refuse('page_missing_param', 'redirectUri');
  if (!app.redirectUris.includes(params.redirectUri)) throw refuse('redirect_uri_not_registered', params.redirectUri);
  const form = authorizeRequestOf(index, params);
  for (const s of form.scopes) {
    if (!isZjrcScope(s)) throw refuse('unknown_scope', s);
    if (app.scopes && !app.scopes.includes(s)) throw refuse('scope_not_allowed', s);
  }
  return form;
}

function authorizePage(query: Params, ctx: Ctx): Reply {
  return renderLoginForm(check(ctx.index, query));
}

function withQuery(uri: string, add: Record<string, string>): string {
  const hash = uri.indexOf('#');
  const base = hash < 0 ? uri : uri.slice(0, hash);
  const query = new URLSearchParams(add).toString();
  return `${base}${base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?'}${query}`;
}

/** The form's fields, over the query string (as a servlet's getParameter sees them). */
function readForm(req: PlatformRequest): Params {
  const text = req.rawBody ? req.rawBody.toString('utf8') : '';
  return Object.assign(Object.create(null), req.query, looksLikeForm(text) ? parseForm(text) : {});
}

/** The login form posts here: wrong or empty credentials show the form again (the page's `login` kinds); success → 302 with the code. */
async function login(p: Params, ctx: Ctx): Promise<Reply> {
  const form = check(ctx.index, p);
  // A login failure shows the form again with its text: the renderer draws it, as for an injected one.
  if (!p.username || !p.password) throw refuse('empty_credentials');
  const user = ctx.index.users.get(p.username);
  if (!user || user.password !== p.password) throw refuse('bad_credentials');
  if (user.apps && !user.apps.includes(form.appId)) throw refuse('user_not_allowed');
  const code = await ctx.world.tokens.issueCode({
    platform: ZJRC,
    appId: form.appId,
    subject: user.username,
    scopes: form.scopes,
    data: { redirectUri: form.redirectUri },
  });
  const add: Record<string, string> = { code: code.value };
  if (form.state) add.state = form.state;
  return redirectReply(withQuery(form.redirectUri, add));
}

export const authorizeEndpoints: ZjrcEndpoint<Params>[] = [
  { method: 'GET', path: '/oauth/authorize', name: 'authorize', surface: 'page', tags: ['oauth'], parse: (req) => req.query, handle: authorizePage },
  { method: 'POST', path: '/oauth/authorize', name: 'authorize.login', surface: 'page', tags: ['oauth', 'authorize'], parse: readForm, handle: login },
];
