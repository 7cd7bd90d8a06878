import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { safeEqual } from '../core/crypto.js';

export const ADMIN_TOKEN_HEADER = 'x-sandbox-admin-token';
/** `?token=` opens the dashboard once in a browser; a cookie carries the token for the page's own calls. */
export const ADMIN_TOKEN_QUERY = 'token';

/** Only this machine can reach a loopback bind, so the control plane stays open there unless a token was asked for. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/**
 * The token the control plane requires: the one given (`--admin-token`, `adminToken`), else a fresh
 * one when the bind is reachable from other machines (printed at start), else none.
 */
export function resolveAdminToken(host: string, given: string | undefined): string | undefined {
  if (given !== undefined && given !== '') return given;
  return isLoopback(host) ? undefined : randomBytes(16).toString('hex');
}

/** Cookies are shared by every port of a host: the name carries the port, so two sandboxes do not overwrite each other's. */
const cookieName = (req: Request): string => `sandbox_admin_token_${req.socket.localPort ?? ''}`;

function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Every place a client may put the token; any one that matches is enough (a stale cookie must not hide a good header). */
function presented(req: Request): { header: string[]; query?: string; cookie?: string } {
  const header: string[] = [];
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) header.push(auth.replace(/^bearer\s+/i, '').trim());
  const own = req.headers[ADMIN_TOKEN_HEADER];
  if (typeof own === 'string') header.push(own.trim());
  const q = req.query[ADMIN_TOKEN_QUERY];
  return { header, query: typeof q === 'string' ? q : undefined, cookie: cookieValue(req, cookieName(req)) };
}

/** Why a token is asked for: the bind is reachable from other machines, or (on loopback) the user chose one. */
function why(host: string): string {
  return isLoopback(host)
    ? `the sandbox was started with --admin-token (it listens on ${host}, this machine only)`
    : `the sandbox listens on ${host}, where other machines can reach it`;
}

function howTo(host: string): string {
  return (
    `The control plane needs the admin token: ${why(host)}. ` +
    `Send "Authorization: Bearer <token>" or "X-Sandbox-Admin-Token: <token>"; in a browser open /__sandbox/?token=<token> once. ` +
    'The token is the one given with --admin-token, or the one printed when the sandbox started.'
  );
}

/** What a browser sees instead of the dashboard: a form that asks for the token (nothing from the request is echoed). */
const loginPage = (host: string): string =>
  '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>Sandbox control plane</title></head><body>' +
  `<h1>Admin token needed</h1><p>${
    isLoopback(host)
      ? 'This sandbox was started with an admin token, so its control plane asks for it (the one given with <code>--admin-token</code>).'
      : 'This sandbox is reachable from other machines, so its control plane asks for the admin token (given with <code>--admin-token</code>, or printed when the sandbox started).'
  }</p>` +
  '<form method="get"><label>Admin token <input name="token" type="password" autocomplete="off" required></label> <button type="submit">Open</button></form></body></html>';

function refuse(req: Request, res: Response, host: string, wrong: boolean): void {
  res.setHeader('www-authenticate', 'Bearer realm="sandbox control plane"');
  res.setHeader('cache-control', 'no-store');
  if (req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
    res.setHeader('content-security-policy', "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    res.status(401).type('html').send(loginPage(host));
    return;
  }
  res.status(401).json({ error: 'unauthorized', message: `${wrong ? 'The admin token sent is wrong. ' : ''}${howTo(host)}` });
}

/**
 * `?token=` presented: a cookie carries the token from here on. SameSite=Strict: another site's page
 * cannot make the browser send it; HttpOnly: the page's scripts never see it. No Path: the browser
 * scopes it to the folder it was given in (`/__sandbox`, behind any proxy prefix). Cookies are shared
 * by every port of a host, so a Path of `/` would hand the token to any app the browser opens on
 * another port of 127.0.0.1 (the app under test, which may log its headers). A browser opening a
 * page with the token is sent on to the same page without it, so it stays out of the address bar,
 * the history and screen shares.
 */
function exchange(req: Request, res: Response, token: string): void {
  const [path, query = ''] = req.originalUrl.split(/\?(.*)/s, 2);
  // At /__sandbox itself the cookie would default to Path=/: the dashboard sends the browser on to /__sandbox/ first.
  if (path.lastIndexOf('/') === 0) return;
  res.setHeader('set-cookie', `${cookieName(req)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict`);
  const navigation =
    req.method === 'GET' &&
    (req.headers['sec-fetch-mode'] === 'navigate' || (req.headers['sec-fetch-mode'] === undefined && req.accepts(['json', 'html']) === 'html'));
  if (!navigation) return;
  const rest = new URLSearchParams(query);
  rest.delete(ADMIN_TOKEN_QUERY);
  const left = rest.toString();
  res.setHeader('cache-control', 'no-store');
  res.setHeader('referrer-policy', 'no-referrer');
  res.redirect(303, `${path.slice(path.lastIndexOf('/') + 1) || './'}${left ? `?${left}` : ''}`);
}

/**
 * Mounted on the control-plane router right after the browser guard (guard.ts). Without a token it lets everything through; with one,
 * every route but GET /health and /health/live (container health checks) needs it, compared in constant time.
 */
export function adminAuth(token: string | undefined, host: string): RequestHandler {
  if (!token) return (_req: Request, _res: Response, next: NextFunction) => next();
  const matches = (v: string | undefined) => v !== undefined && safeEqual(v, token);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' && (req.path === '/health' || req.path === '/health/live')) return next();
    const p = presented(req);
    if (p.header.some(matches) || matches(p.cookie)) return next();
    if (matches(p.query)) {
      exchange(req, res, token);
      if (res.headersSent) return;
      return next();
    }
    refuse(req, res, host, p.header.length > 0 || p.query !== undefined || p.cookie !== undefined);
  };
}
