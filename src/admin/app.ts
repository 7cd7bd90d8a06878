import express, { type Express } from 'express';
import type { Sandbox } from '../sandbox.js';
import { createAdminRouter } from './index.js';

/** The Express app behind the platform dispatcher: the control plane, and the answers to requests no platform serves. */
export function buildControlApp(sandbox: Sandbox): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(['/__sandbox', '/s/:session/__sandbox'], createAdminRouter(sandbox));
  app.use((req, res) => {
    const allowed = sandbox.routes.methodsAt(req.path);
    if (allowed.length) {
      res.setHeader('allow', allowed.join(', '));
      res.status(405).json({ error: 'method_not_allowed', message: `${req.method} is not served at ${req.path}; use ${allowed.join(' or ')}.` });
      return;
    }
    res.status(404).json({ error: 'not_found', message: `No platform endpoint at ${req.method} ${req.path}. Platforms: ${sandbox.platforms.map((p) => `/${p.id}`).join(', ')}; control plane: /__sandbox/.` });
  });
  return app;
}
