import express, { type Express } from 'express';
import type { SandboxControl } from '../control/service.js';
import { missError } from '../core/http/near-miss.js';
import type { Sandbox } from '../sandbox.js';
import { createAdminRouter } from './router.js';

/** The Express app behind the platform dispatcher: the control plane, and the answers to requests no platform serves. */
export async function buildControlApp(sandbox: Sandbox, control: SandboxControl): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(['/__sandbox', '/s/:session/__sandbox'], await createAdminRouter(sandbox, control));
  // The dispatcher answers (and journals) requests no endpoint serves; this stays as the same answer for any that reach Express.
  app.use((req, res) => {
    const allowed = sandbox.routes.methodsAt(req.path);
    const error = missError(sandbox.routes, req.method, req.path);
    if (allowed.length) res.setHeader('allow', allowed.join(', '));
    res.status(error.status).json(error.toJSON());
  });
  return app;
}
