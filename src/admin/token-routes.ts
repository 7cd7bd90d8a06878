import type { Request, Router } from 'express';
import { tokenState } from '../core/state/token-record.js';
import type { World } from '../core/world.js';

/** GET /tokens?platform=&kind=&state= — every code and token with its state by the sandbox clock. */
export function mountTokenRoutes(router: Router, worldOf: (req: Request) => World): void {
  router.get('/tokens', (req, res) => {
    const world = worldOf(req);
    const q = req.query as Record<string, string | undefined>;
    const now = world.clock.now();
    const limit = Math.min(Number(q.limit) || 1000, 10_000);
    const tokens = [];
    for (const rec of world.store.all()) {
      if (q.platform && rec.platform !== q.platform) continue;
      if (q.kind && rec.kind !== q.kind) continue;
      const state = tokenState(rec, now);
      if (q.state && state !== q.state) continue;
      tokens.push({ ...rec, state, expiresInSeconds: rec.expiresAt === null ? null : Math.round((rec.expiresAt - now) / 1000) });
      if (tokens.length >= limit) break;
    }
    res.json({ count: tokens.length, tokens });
  });
}
