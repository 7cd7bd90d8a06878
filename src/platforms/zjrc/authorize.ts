import { looksLikeForm, parseForm } from '../../core/http/params.js';
import { redirectReply } from '../../core/http/reply.js';
import type { Endpoint, EndpointContext, PlatformRequest, Reply } from '../../core/platform.js';
import type { ZjrcFixture } from './fixture.js';
import { ZJRC } from './id.js';
import type { ZjrcIndex } from './lookups.js';
import { renderAuthorizeError, renderLoginForm, type AuthorizeRequest } from './authorize-page.js';
import { isZjrcScope, splitScopeText } from './scopes.js';

/** Authorization page texts (Assumed: the real page is not public). */
export const AUTHORIZE_MESSAGES = {
  missingAppId: '缺少参数 appId',
  unknownApp: '应用不存在: {appId}',
  missingRedirectUri: '缺少参数 redirectUri',
  redirectUriNotRegistered: 'redirectUri 未登记: {redirectUri}',
  unknownScope: '授权范围不存在: {scope}',
  scopeNotAllowed: '应用无权申请授权范围: {scope}',
  emptyCredentials: '用户名和密码不能为空',
  badCredentials: '用户名或密码错误',
  userNotAllowed: '该用户不能授权此应用',
} as const;

/** Without a scope parameter the page grants the minimal scope (Assumed). */
export const DEFAULT_AUTHORIZE_SCOPE = 'get_default_user_info';

type Ctx = EndpointContext<ZjrcFixture, ZjrcIndex>;
type Params = Record<string, string>;

type Checked = { ok: true; value: AuthorizeRequest } | { ok: false; reply: Reply };

const refuse = (message: string): Checked => ({ ok: false, reply: renderAuthorizeError(message) });

/** appId, redirectUri and scope are checked before anything is shown: a bad one never redirects. */
function check(index: ZjrcIndex, params: Record<string, string>): Checked {
  if (!params.appId) return refuse(AUTHORIZE_MESSAGES.missingAppId);
  const app = index.apps.get(params.appId);
  if (!app) return refuse(AUTHORIZE_MESSAGES.unknownApp.replace('{appId}', params.appId));
  if (!params.redirectUri) return refuse(AUTHORIZE_MESSAGES.missingRedirectUri);
  if (!app.redirectUris.includes(params.redirectUri)) return refuse(AUTHORIZE_MESSAGES.redirectUriNotRegistered.replace('{redirectUri}', params.redirectUri));
  const scopes = params.scope ? splitScopeText(params.scope) : [DEFAULT_AUTHORIZE_SCOPE];
  for (const s of scopes) {
    if (!isZjrcScope(s)) return refuse(AUTHORIZE_MESSAGES.unknownScope.replace('{scope}', s));
    if (app.scopes && !app.scopes.includes(s)) return refuse(AUTHORIZE_MESSAGES.scopeNotAllowed.replace('{scope}', s));
  }
  return { ok: true, value: { appId: app.appId, appName: app.name ?? app.appId, redirectUri: params.redirectUri, scopes, state: params.state ?? '' } };
}

function authorizePage(query: Params, ctx: Ctx): Reply {
  const checked = check(ctx.index, query);
  return checked.ok ? renderLoginForm(checked.value) : checked.reply;
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

/** The login form posts here: wrong or empty credentials show the form again; success → 302 with the code. */
async function login(p: Params, ctx: Ctx): Promise<Reply> {
  const checked = check(ctx.index, p);
  if (!checked.ok) return checked.reply;
  const form = checked.value;
  if (!p.username || !p.password) return renderLoginForm(form, AUTHORIZE_MESSAGES.emptyCredentials, p.username);
  const user = ctx.index.users.get(p.username);
  if (!user || user.password !== p.password) return renderLoginForm(form, AUTHORIZE_MESSAGES.badCredentials, p.username);
  if (user.apps && !user.apps.includes(form.appId)) return renderLoginForm(form, AUTHORIZE_MESSAGES.userNotAllowed, p.username);
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

export const authorizeEndpoints: Endpoint<ZjrcFixture, ZjrcIndex, Params>[] = [
  { method: 'GET', path: '/oauth/authorize', name: 'authorize', tags: ['oauth'], parse: (req) => req.query, handle: authorizePage },
  { method: 'POST', path: '/oauth/authorize', name: 'authorize.login', tags: ['oauth', 'authorize'], parse: readForm, handle: login },
];
