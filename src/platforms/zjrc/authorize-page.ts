import { HTML_UTF8, textReply } from '../../core/http/reply.js';
import type { Reply } from '../../core/platform.js';
import type { ZjrcIndex } from './lookups.js';
import { splitScopeText } from './scopes.js';

/** What the login form carries through the POST (hidden fields). */
export interface AuthorizeRequest {
  appId: string;
  appName: string;
  redirectUri: string;
  scopes: string[];
  state: string;
}

/** Without a scope parameter the page grants the minimal scope (Assumed). */
export const DEFAULT_AUTHORIZE_SCOPE = 'get_default_user_info';

/**
 * What the page's params ask for, as the login form carries it. It checks nothing (the endpoints check
 * first): the renderer also builds the form from it when a login failure, real or injected, shows it again.
 */
export function authorizeRequestOf(index: ZjrcIndex, params: Readonly<Record<string, string>>): AuthorizeRequest {
  const appId = params.appId ?? '';
  return {
    appId,
    appName: index.apps.get(appId)?.name ?? appId,
    redirectUri: params.redirectUri ?? '',
    scopes: params.scope ? splitScopeText(params.scope) : [DEFAULT_AUTHORIZE_SCOPE],
    state: params.state ?? '',
  };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const STYLE =
  'body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0}main{max-width:360px;margin:60px auto;background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 1px 4px #0002}' +
  'h1{font-size:20px;margin:0 0 4px}p.note{color:#666;font-size:13px}label{display:block;margin:12px 0 4px}input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:8px}' +
  'button{margin-top:18px;width:100%;padding:10px;background:#0a7d3b;color:#fff;border:0;border-radius:4px;font-size:15px}.error{color:#b00020;margin:12px 0}ul{padding-left:18px;font-size:13px}';

function page(title: string, inner: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${inner}</main></body></html>`;
}

const hidden = (name: string, value: string): string => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;

/** The login form; posting it (to the same path, relative so every prefix works) grants the listed scopes. */
export function renderLoginForm(req: AuthorizeRequest, error?: string, username = ''): Reply {
  const inner =
    `<h1>丰收互联 授权登录</h1><p class="note">Sandbox (ZJRC OIP) — test users only. 应用 <b>${escapeHtml(req.appName)}</b> 申请以下授权:</p>` +
    `<ul>${req.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` +
    (error ? `<p class="error" id="error">${escapeHtml(error)}</p>` : '') +
    `<form method="post" action="authorize">` +
    hidden('appId', req.appId) +
    hidden('redirectUri', req.redirectUri) +
    hidden('scope', req.scopes.join(' ')) +
    hidden('state', req.state) +
    `<label for="username">用户名</label><input type="text" id="username" name="username" value="${escapeHtml(username)}" autocomplete="username">` +
    `<label for="password">密码</label><input type="password" id="password" name="password" autocomplete="current-password">` +
    `<button type="submit">登录并授权</button></form>`;
  return textReply(page('丰收互联 授权登录', inner), 200, HTML_UTF8);
}

/** A request the page cannot serve (bad appId, redirectUri or scope): 400, never a redirect. */
export function renderAuthorizeError(message: string): Reply {
  return textReply(page('授权失败', `<h1>授权失败</h1><p class="error" id="error">${escapeHtml(message)}</p>`), 400, HTML_UTF8);
}
