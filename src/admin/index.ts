import express, { type Request, type Router } from 'express';
import type { Sandbox } from '../sandbox.js';
import { MAX_JSON_DEPTH, withinJsonDepth } from '../core/http/params.js';
import { sessionIdOf } from '../core/sessions/registry.js';
import { adminAuth } from './auth.js';
import { mountClockRoutes } from './clock-routes.js';
import { adminError } from './errors.js';
import { mountExportRoutes } from './export-routes.js';
import { mountJournalRoutes } from './journal-routes.js';
import { openApiDocument } from './openapi.js';
import { mountScenarioRoutes } from './scenario-routes.js';
import { mountSessionRoutes } from './session-routes.js';
import { mountTokenRoutes } from './token-routes.js';
import { mountUiRoutes } from './ui-routes.js';
import { mountEventsRoutes } from './events-routes.js';

/** The control plane under /__sandbox: health, platforms, clock, journal, tokens, reset. */
export function createAdminRouter(sandbox: Sandbox): Router {
  const router = express.Router();
  const worldOf = (req: Request) => sandbox.adminWorld(req);
  // First: on a bind other machines can reach, nothing below answers without the admin token.
  router.use(adminAuth(sandbox.options.adminToken, sandbox.options.host));
  router.use(express.json({ limit: sandbox.options.bodyLimit, strict: false }));
  router.use((req, res, next) => (withinJsonDepth(req.body) ? next() : adminError(res, 400, 'invalid_request', `The body is nested more than ${MAX_JSON_DEPTH} levels deep.`)));
  // A request that names a session acts on it; one that names a session that is gone must not fall back to the default world.
  router.use((req, res, next) => {
    const id = sessionIdOf(req.baseUrl, req.headers);
    if (id === undefined || sandbox.sessions.get(id) || (req.path.startsWith('/sessions') && !req.baseUrl.startsWith('/s/')) || req.path === '/health') return next();
    adminError(res, 404, 'unknown_session', `No session "${id}": it was never created or has been ended. Create one with POST /__sandbox/sessions.`);
  });

  router.get('/health', (_req, res) => {
    res.json(sandbox.health());
  });
  router.get('/platforms', (req, res) => {
    res.json({ platforms: sandbox.summaries(`http://${req.headers.host ?? sandbox.hostPort}`) });
  });
  router.get('/openapi.json', (req, res) => {
    res.json(openApiDocument(sandbox, `${req.protocol}://${req.headers.host ?? sandbox.hostPort}`));
  });
  mountClockRoutes(router, worldOf);
  mountJournalRoutes(router, sandbox.journal);
  mountEventsRoutes(router, sandbox.journal, worldOf);
  mountUiRoutes(router);
  mountTokenRoutes(router, worldOf);
  mountScenarioRoutes(router, sandbox.scenarios, worldOf);
  mountSessionRoutes(router, sandbox.sessions, sandbox.scenarios);
  mountExportRoutes(router, sandbox.scenarios, worldOf);
  router.post('/reset', async (req, res) => {
    const world = worldOf(req);
    if (world === sandbox.world) await sandbox.reset();
    else {
      world.reset();
      sandbox.scenarios.reapply(world);
    }
    res.json({ status: 'reset', tokens: world.store.size });
  });

  for (const platform of sandbox.platforms) {
    if (!platform.admin) continue;
    const sub = express.Router();
    platform.admin(sub, worldOf);
    router.use(`/${platform.id}`, sub);
  }

  router.use((req, res) => {
    adminError(res, 404, 'not_found', `No control-plane route for ${req.method} /__sandbox${req.path}. Routes: GET /health, GET /platforms, GET|POST /clock, GET|DELETE /requests, GET /tokens, POST /tokens/<value>/expire|revoke, GET /events, GET / (dashboard), POST /reset, GET /scenarios, GET|PUT|DELETE /scenario, GET|POST|DELETE /faults, GET|POST|DELETE /sessions, GET|DELETE /sessions/<id>, GET /export.`);
  });
  // Express recognises error handlers by their four parameters.
  router.use((err: { status?: number; type?: string; message?: string }, _req: Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    const message = err.type === 'entity.parse.failed' ? `The body is not valid JSON: ${err.message}.` : err.type === 'entity.too.large' ? `The body is larger than the limit of ${sandbox.options.bodyLimit} bytes.` : (err.message ?? 'unexpected error');
    adminError(res, status, status === 413 ? 'payload_too_large' : status === 500 ? 'internal_error' : 'invalid_request', message);
  });
  return router;
}
