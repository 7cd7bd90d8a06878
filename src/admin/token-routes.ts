import type { Request, Response, Router } from 'express';
import { tokenState, type TokenKind, type TokenRecord } from '../core/state/token-record.js';
import type { World } from '../core/world.js';
import { adminError } from './errors.js';

const KINDS: readonly TokenKind[] = ['code', 'access', 'refresh', 'temp'];

/** A record as the control plane and the dashboard show it: its fields, its state and the seconds it has left. */
export function tokenView(rec: TokenRecord, now: number) {
  return { ...rec, state: tokenState(rec, now), expiresInSeconds: rec.expiresAt === null ? null : Math.round((rec.expiresAt - now) / 1000) };
}

/**
 * GET /tokens?platform=&kind=&state=&limit=&order= — every code and token with its state by the sandbox clock,
 * in issue order (order=newest reverses it).
 * POST /tokens/<value>/expire and /revoke — end one now (the dashboard's buttons); ?platform=&kind=
 * (or the same fields in a JSON body) pick one when the value exists on several platforms or kinds.
 */
export function mountTokenRoutes(router: Router, worldOf: (req: Request) => World): void {
  router.get('/tokens', (req, res) => {
    const world = worldOf(req);
    const q = req.query as Record<string, string | undefined>;
    const now = world.clock.now();
    const limit = Math.min(Number(q.limit) || 1000, 10_000);
    if (q.order !== undefined && q.order !== 'oldest' && q.order !== 'newest') {
      return adminError(res, 400, 'invalid_request', `"order" must be "oldest" (issue order, the default) or "newest", got ${JSON.stringify(q.order)}.`);
    }
    // The store keeps issue order; the dashboard wants the newest first even when a load test left thousands.
    const records = q.order === 'newest' ? [...world.store.all()].reverse() : world.store.all();
    const tokens = [];
    for (const rec of records) {
      if (q.platform && rec.platform !== q.platform) continue;
      if (q.kind && rec.kind !== q.kind) continue;
      const state = tokenState(rec, now);
      if (q.state && state !== q.state) continue;
      tokens.push(tokenView(rec, now));
      if (tokens.length >= limit) break;
    }
    res.json({ count: tokens.length, tokens });
  });

  router.post('/tokens/:value/:action', async (req, res) => {
    const action = String(req.params.action);
    if (action !== 'expire' && action !== 'revoke') {
      return adminError(res, 404, 'not_found', `No token action "${action}": use POST /__sandbox/tokens/<value>/expire or /revoke.`);
    }
    const world = worldOf(req);
    const rec = findOne(req, res, world, String(req.params.value));
    if (!rec) return;
    const now = world.clock.now();
    const live = rec.expiresAt === null || rec.expiresAt > now;
    // Moving the end of an already expired value would only blur when it expired.
    if (action === 'expire' && live) world.tokens.expire(rec);
    if (action === 'revoke') {
      world.tokens.revoke(rec, 'admin');
      // Codes have no revoked state in the protocols (exchanges check use and expiry), so a revoked code also ends now.
      if (rec.kind === 'code' && live) world.tokens.expire(rec);
    }
    await world.persist();
    res.json({ token: tokenView(rec, world.clock.now()) });
  });
}

/** The one record a value names, or an answer saying why there is none. Map lookups only, never a scan. */
function findOne(req: Request, res: Response, world: World, value: string): TokenRecord | undefined {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const q = req.query as Record<string, unknown>;
  const platform = q.platform ?? body.platform;
  const kind = q.kind ?? body.kind;
  const ids = [...world.platforms.keys()];
  if (platform !== undefined && (typeof platform !== 'string' || !world.platforms.has(platform))) {
    adminError(res, 400, 'invalid_request', `"platform" must be one of ${ids.join(', ')}, got ${JSON.stringify(platform)}.`);
    return undefined;
  }
  if (kind !== undefined && (typeof kind !== 'string' || !KINDS.includes(kind as TokenKind))) {
    adminError(res, 400, 'invalid_request', `"kind" must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}.`);
    return undefined;
  }
  const matches: TokenRecord[] = [];
  for (const p of platform === undefined ? ids : [platform as string]) {
    for (const k of kind === undefined ? KINDS : [kind as TokenKind]) {
      const rec = world.store.get(p, k, value);
      if (rec) matches.push(rec);
    }
  }
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    const where = [platform, kind].filter((x) => x !== undefined).join(' ');
    adminError(res, 404, 'unknown_token', `No code or token ${JSON.stringify(value)}${where ? ` (${where})` : ''} in this world; GET /__sandbox/tokens lists them.`);
  } else {
    adminError(res, 409, 'ambiguous_token', `${JSON.stringify(value)} is ${matches.map((m) => `a ${m.platform} ${m.kind}`).join(' and ')}; add ?platform=<id>&kind=<kind> to pick one.`);
  }
  return undefined;
}
