import express, { type Express } from 'express';
import type { SandboxControl } from '../control/service.js';
import { ControlError } from '../core/errors/control-error.js';
import type { Sandbox } from '../sandbox.js';
import { createAdminRouter } from './router.js';

/** The Express app behind the platform dispatcher: the control plane, and the answers to requests no platform serves. */
export async function buildControlApp(sandbox: Sandbox, control: SandboxControl): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(['/__sandbox', '/s/:session/__sandbox'], await createAdminRouter(sandbox, control));
  app.use((req, res) => {
    const allowed = sandbox.routes.methodsAt(req.path);
    const error = allowed.length
      ? new ControlError('method_not_allowed', `${req.method} is not served at ${req.path}; use ${allowed.join(' or ')}.`)
      : new ControlError(
          'not_found',
          `No platform endpoint at ${req.method} ${req.path}. Platforms: ${sandbox.platforms.map((p) => `/${p.id}`).join(', ')}; control plane: /__sandbox/.`,
        );
    if (allowed.length) res.setHeader('allow', allowed.join(', '));
    res.status(error.status).json(error.toJSON());
  });
  return app;
}
