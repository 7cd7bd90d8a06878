import type { Request, Router } from 'express';
import type { ScenarioEngine } from '../core/scenarios/engine.js';
import type { World } from '../core/world.js';
import { adminError } from './errors.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * GET /export[?name=my-bug] — a scenario file with the world's state, clock, policy and active rules;
 * loading it into a fresh sandbox (same fixtures) reproduces the same answers to the same calls.
 */
export function mountExportRoutes(router: Router, engine: ScenarioEngine, worldOf: (req: Request) => World): void {
  router.get('/export', (req, res) => {
    const name = req.query.name;
    if (name !== undefined && (typeof name !== 'string' || !NAME.test(name))) {
      return adminError(res, 400, 'invalid_request', `"name" must be letters, digits, ".", "_" or "-" (at most 64), got ${JSON.stringify(name)}.`);
    }
    const file = engine.export(worldOf(req), { name });
    res.type('application/json').send(`${JSON.stringify(file, null, 2)}\n`);
  });
}
