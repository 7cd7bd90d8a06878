import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Response, type Router } from 'express';
import { ControlError } from '../core/errors/control-error.js';

/** ui/ sits two levels above both src/admin/ (tests) and dist/admin/ (the package). */
export const UI_DIR = fileURLToPath(new URL('../../ui/', import.meta.url));

/**
 * The page only loads its own files and talks to its own origin; with every value set as text this
 * makes a token or parameter that carries markup inert twice over.
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

function secure(res: Response): void {
  res.setHeader('content-security-policy', CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  // A newer package version must not run against a cached older script.
  res.setHeader('cache-control', 'no-cache');
}

/**
 * The dashboard: GET /__sandbox/ serves ui/index.html, /__sandbox/ui/… its scripts and styles. Under a
 * session's prefix (/s/<id>/__sandbox/) the same page acts on that session, because it calls the API
 * relative to where it was loaded.
 */
export function mountDashboard(router: Router, path: string): void {
  router.get(path, (req, res) => {
    // Without the slash the page's relative URLs would resolve one level too high. A relative target keeps any proxy prefix.
    const [path, query] = req.originalUrl.split(/\?(.*)/s, 2);
    if (!path.endsWith('/')) return res.redirect(301, `./__sandbox/${query ? `?${query}` : ''}`);
    if (!existsSync(`${UI_DIR}index.html`)) {
      throw new ControlError('not_found', `The dashboard files are missing from ${UI_DIR}; reinstall the package.`);
    }
    secure(res);
    res.sendFile(`${UI_DIR}index.html`);
  });
  router.use('/ui', express.static(UI_DIR, { index: false, redirect: false, dotfiles: 'ignore', fallthrough: true, setHeaders: secure }));
}
