import type { Request, Router } from 'express';
import type { ScenarioEngine } from '../core/scenarios/engine.js';
import { SessionError, type Session, type SessionRegistry } from '../core/sessions/registry.js';
import { isPlainObject } from '../core/validation.js';
import { clockView } from './clock-routes.js';
import { adminError } from './errors.js';
import { scenarioError, scenarioRefs } from './scenario-routes.js';

export function sessionView(session: Session, engine: ScenarioEngine, baseUrl: string) {
  const world = session.world;
  return {
    id: session.id,
    url: `${baseUrl}/s/${session.id}`,
    headers: { 'X-Sandbox-Session': session.id },
    createdAt: new Date(session.createdAt).toISOString(),
    scenarios: engine.view(world).active.map((a) => a.name),
    tokens: world.store.size,
    clock: clockView(world),
  };
}

/**
 * POST /sessions {"id"?, "scenario"? | "scenarios"?} opens an isolated session (its own tokens, clock
 * and scenario); GET lists them; GET|DELETE /sessions/<id> shows or ends one; DELETE /sessions ends all.
 */
export function mountSessionRoutes(router: Router, sessions: SessionRegistry, engine: ScenarioEngine): void {
  const base = (req: Request) => `${req.protocol}://${req.headers.host ?? 'localhost'}`;

  router.post('/sessions', async (req, res) => {
    const body: unknown = req.body ?? {};
    if (!isPlainObject(body)) return adminError(res, 400, 'invalid_request', 'Send a JSON object: {} or {"id": "worker-1", "scenario": "rotation-strict"} (scenario: a name, an inline scenario, or "scenarios": [...]).');
    const unknown = Object.keys(body).filter((k) => !['id', 'scenario', 'scenarios'].includes(k));
    if (unknown.length) return adminError(res, 400, 'invalid_request', `Unknown field(s) ${unknown.join(', ')}: a session takes "id", "scenario" or "scenarios".`);
    if (body.id !== undefined && typeof body.id !== 'string') return adminError(res, 400, 'invalid_request', `"id" must be a string, got ${JSON.stringify(body.id)}.`);
    const wanted = body.scenario !== undefined || body.scenarios !== undefined ? scenarioRefs({ scenario: body.scenario, scenarios: body.scenarios }) : undefined;
    if (typeof wanted === 'string') return adminError(res, 400, 'invalid_request', wanted);
    let session: Session;
    try {
      session = sessions.create(body.id as string | undefined);
    } catch (e) {
      if (!(e instanceof SessionError)) throw e;
      return adminError(res, e.status, e.code, e.message);
    }
    if (wanted) {
      try {
        engine.use(session.world, wanted.refs, { allowPaths: false, label: 'request body' });
      } catch (e) {
        sessions.delete(session.id);
        return scenarioError(res, e);
      }
    }
    res.status(201).json(sessionView(session, engine, base(req)));
  });

  router.get('/sessions', (req, res) => {
    const list = sessions.list().map((s) => sessionView(s, engine, base(req)));
    res.json({ count: list.length, sessions: list });
  });

  router.get('/sessions/:id', (req, res) => {
    const session = sessions.get(String(req.params.id));
    if (!session) return adminError(res, 404, 'unknown_session', `No session "${req.params.id}"; GET /__sandbox/sessions lists the open ones.`);
    res.json(sessionView(session, engine, base(req)));
  });

  router.delete('/sessions/:id', (req, res) => {
    if (!sessions.delete(String(req.params.id))) return adminError(res, 404, 'unknown_session', `No session "${req.params.id}"; GET /__sandbox/sessions lists the open ones.`);
    res.status(204).end();
  });

  router.delete('/sessions', (_req, res) => {
    res.json({ ended: sessions.clear() });
  });
}
