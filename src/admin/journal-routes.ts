import type { Request, Router } from 'express';
import type { Journal, JournalFilter } from '../core/journal.js';
import { adminError } from './errors.js';

/** GET /requests?platform=&endpoint=&status=&session=&limit= (newest first); DELETE clears. */
export function mountJournalRoutes(router: Router, journal: Journal): void {
  router.get('/requests', (req: Request, res) => {
    const q = req.query as Record<string, string | undefined>;
    const filter: JournalFilter = {};
    if (typeof q.platform === 'string') filter.platform = q.platform;
    if (typeof q.endpoint === 'string') filter.endpoint = q.endpoint;
    if (typeof q.session === 'string') filter.session = q.session;
    for (const key of ['status', 'limit'] as const) {
      if (q[key] === undefined) continue;
      const n = Number(q[key]);
      if (!Number.isInteger(n) || n < 0) return adminError(res, 400, 'invalid_request', `"${key}" must be a whole number, got ${JSON.stringify(q[key])}.`);
      filter[key] = n;
    }
    const requests = journal.list(filter);
    res.json({ count: requests.length, requests });
  });
  router.delete('/requests', (_req, res) => {
    journal.clear();
    res.status(204).end();
  });
}
