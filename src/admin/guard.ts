import { isIP } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ControlError } from '../core/errors/control-error.js';
import { mediaType } from '../core/http/dispatcher.js';

/**
 * What keeps web pages off the control plane. A developer's browser can reach a loopback sandbox from
 * any site it visits, two ways:
 *
 * - DNS rebinding: a page on evil.example makes its own name resolve to 127.0.0.1, and its scripts then
 *   read and drive the sandbox as their own origin. The Host header still says evil.example, so the
 *   control plane answers only to names of this sandbox: loopback names (localhost, *.localhost), IP
 *   addresses (no page can rebind those), the name it was bound to, and the names given with
 *   `--allowed-hosts` (webpack-dev-server's and Vite's `allowedHosts`).
 * - Cross-site requests (CSRF): a form or a no-cors fetch that changes state. Browsers say where a
 *   request comes from (Sec-Fetch-Site; Origin on every POST), so a state-changing call from another
 *   site is refused, as is any body a browser can send without a preflight: the control plane takes
 *   JSON alone.
 *
 * Tools (curl, test suites, the in-process API) send neither header and are not affected; the dashboard
 * is same-origin. Platform endpoints are not behind this: their login pages are for browsers, as the
 * real platforms' are.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The host name a Host header names: no port, no brackets, lower case, no trailing dot. */
export function hostName(header: string): string {
  let h = header.trim().toLowerCase();
  if (h.startsWith('[')) h = h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  else if (h.lastIndexOf(':') > 0 && h.indexOf(':') === h.lastIndexOf(':')) h = h.slice(0, h.lastIndexOf(':'));
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/**
 * What a browser puts in Host: a name or IPv4 address, or a bracketed IPv6 address, then an optional
 * `:port`. Anything else (`a#.localhost`, `[::1]evil.example`, `127.0.0.1:80@evil.example`) no browser
 * sends, and a loose reading of it could find a loopback name in a foreign one.
 */
const BROWSER_HOST = /^(?:\[(?<ip6>[0-9a-f:.]+)\]|(?<name>(?:[a-z0-9_-]+\.)*[a-z0-9_-]+\.?))(?::\d{1,5})?$/;

/** The host name of a Host header as a browser sends it (lower case, no trailing dot); undefined for any other form. */
export function browserHostName(header: string): string | undefined {
  const m = BROWSER_HOST.exec(header.toLowerCase());
  if (!m?.groups) return undefined;
  const { ip6, name } = m.groups;
  if (ip6 !== undefined) return isIP(ip6) === 6 ? ip6 : undefined;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Does this name belong to the sandbox? `allowed` entries are names, `.example.com` (it and every subdomain) or `all`. */
export function isAllowedHost(name: string, bound: string, allowed: readonly string[]): boolean {
  if (name === '' || isIP(name) !== 0) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === hostName(bound)) return true;
  for (const entry of allowed) {
    const e = entry.trim().toLowerCase();
    if (e === 'all' || e === name) return true;
    if (e.startsWith('.') && (name === e.slice(1) || name.endsWith(e))) return true;
  }
  return false;
}

/** Mounted first on the control plane, before the admin token: refusals here change nothing and reveal nothing. */
export function browserGuard(opts: { host: string; allowedHosts: readonly string[] }): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const host = req.headers.host;
    const name = host === undefined ? undefined : browserHostName(host);
    if (name === undefined || name === '') {
      // HTTP/1.1 needs a Host (Node refuses a request without one); HTTP/1.0 does not, and every client sends it anyway.
      throw new ControlError(
        'forbidden',
        host === undefined
          ? 'Blocked request: it has no Host header, so the control plane cannot tell which name it was sent to. Send "Host: <host>:<port>", as every HTTP client does.'
          : `Blocked request: the Host ${JSON.stringify(host)} is not a host name and port as browsers and HTTP clients send them ("name:port", "1.2.3.4:port" or "[::1]:port"); send the name the sandbox was reached at.`,
      );
    }
    if (!isAllowedHost(name, opts.host, opts.allowedHosts)) {
      throw new ControlError(
        'forbidden',
        `Blocked request: the Host "${host}" is not a name of this sandbox, so the control plane does not answer it (a page on another site could have made its name point here: DNS rebinding). ` +
          `It answers to localhost, IP addresses and ${hostName(opts.host)}; to reach it as "${name}", start it with --allowed-hosts ${name} (or allowedHosts: ["${name}"]).`,
      );
    }
    const site = req.headers['sec-fetch-site'];
    const mode = req.headers['sec-fetch-mode'];
    const crossSite = site === 'cross-site' || site === 'same-site';
    const changes = !SAFE_METHODS.has(req.method);
    // Opening the dashboard from a link on another site is a navigation; anything else from another site is not the dashboard.
    if (crossSite && (changes || mode !== 'navigate')) {
      throw new ControlError(
        'forbidden',
        `Blocked request: the browser says it comes from another site (Sec-Fetch-Site: ${site}), and the control plane only takes requests from its own pages and from tools. Call it from the dashboard, or from code outside a browser.`,
      );
    }
    const origin = req.headers.origin;
    if (changes && origin !== undefined && !sameOrigin(origin, host)) {
      throw new ControlError(
        'forbidden',
        `Blocked request: it comes from the page ${JSON.stringify(origin)}, not from this sandbox's own pages, and would change its state. Call the control plane from the dashboard, or from code outside a browser (which sends no Origin).`,
      );
    }
    if (changes && hasBody(req)) {
      const type = mediaType(req.headers['content-type']);
      if (type !== 'application/json' && !type.endsWith('+json')) {
        throw new ControlError(
          'unsupported_media_type',
          `The control plane takes JSON bodies: send "Content-Type: application/json" (got ${type ? `"${type}"` : 'no Content-Type'}), or no body at all where the route needs none.`,
        );
      }
    }
    next();
  };
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host === new URL(`${o.protocol}//${host}`).host;
  } catch {
    // "null" (a sandboxed frame, a file: page) or garbage.
    return false;
  }
}

/** Does the request carry a body, or say it does? A form with no fields still sends its Content-Type. */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0') || req.headers['content-type'] !== undefined;
}
