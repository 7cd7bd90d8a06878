import type { Request, Response, Router } from 'express';
import type { ScenarioEngine } from '../core/scenarios/engine.js';
import { ScenarioNotFound, type ScenarioRef } from '../core/scenarios/loader.js';
import { SCENARIO_FIELDS } from '../core/scenarios/fields.js';
import { isPlainObject, LoadError } from '../core/validation.js';
import type { World } from '../core/world.js';
import { clockView } from './clock-routes.js';
import { adminError } from './errors.js';

const USAGE =
  'Send {"name": "<scenario>"}, {"scenarios": ["<name>", {...inline scenario}]}, {"scenario": {...}} or a scenario object itself; add "add": true to lay it over the active ones.';

/** Where a request body names its scenarios; undefined when it names none in a form we know. */
export function scenarioRefs(body: unknown): { refs: ScenarioRef[]; add: boolean } | string {
  if (typeof body === 'string') return { refs: [body], add: false };
  if (!isPlainObject(body)) return USAGE;
  const add = body.add === true;
  if (body.add !== undefined && typeof body.add !== 'boolean') return `"add" must be true or false, got ${JSON.stringify(body.add)}.`;
  const keys = Object.keys(body).filter((k) => k !== 'add');
  if ('scenarios' in body || 'scenario' in body) {
    const extra = keys.filter((k) => k !== 'scenarios' && k !== 'scenario');
    if (extra.length) return `Unknown field(s) ${extra.join(', ')} beside "scenario(s)". ${USAGE}`;
    const list = body.scenarios !== undefined ? body.scenarios : [body.scenario];
    if (!Array.isArray(list) || list.length === 0 || !list.every((r) => typeof r === 'string' || isPlainObject(r))) {
      return `"scenarios" must be a non-empty array of names and scenario objects. ${USAGE}`;
    }
    return { refs: list as ScenarioRef[], add };
  }
  if (keys.length === 1 && keys[0] === 'name' && typeof body.name === 'string') return { refs: [body.name], add };
  if (keys.length === 0) return USAGE;
  if (!keys.some((k) => SCENARIO_FIELDS.includes(k) || k === '$schema')) return `Unknown field(s) ${keys.join(', ')}. ${USAGE}`;
  const { add: _a, ...inline } = body;
  return { refs: [inline], add };
}

/** A scenario that does not load: 404 for a name not in the library, 400 with every issue otherwise. */
export function scenarioError(res: Response, e: unknown): void {
  if (!(e instanceof LoadError)) throw e;
  const status = e instanceof ScenarioNotFound ? 404 : 400;
  res.status(status).json({
    error: status === 404 ? 'unknown_scenario' : 'invalid_scenario',
    message: e.issues.map((i) => (i.path ? `${i.file}: ${i.path}: ${i.message}` : `${i.file}: ${i.message}`)).join('\n'),
    issues: e.issues.map((i) => ({ file: i.file, path: i.path, message: i.message })),
  });
}

/**
 * GET /scenarios lists the library; PUT /scenario activates (replaces, or with "add" lays over),
 * GET shows what is active, DELETE goes back to fixtures only. POST /faults arms one rule alone;
 * GET lists every rule with its counters; DELETE removes armed rules (all, or /faults/<id>).
 */
export function mountScenarioRoutes(router: Router, engine: ScenarioEngine, worldOf: (req: Request) => World): void {
  const view = (world: World) => ({ ...engine.view(world), clock: clockView(world) });

  router.get('/scenarios', (_req, res) => {
    res.json({ dirs: engine.library.dirs, scenarios: engine.library.list() });
  });
  router.get('/scenario', (req, res) => {
    res.json(view(worldOf(req)));
  });
  router.put('/scenario', async (req, res) => {
    const world = worldOf(req);
    const parsed = scenarioRefs(req.body);
    if (typeof parsed === 'string') return adminError(res, 400, 'invalid_request', parsed);
    try {
      engine.use(world, parsed.refs, { add: parsed.add, allowPaths: false, label: 'request body' });
    } catch (e) {
      return scenarioError(res, e);
    }
    await world.persist();
    res.json(view(world));
  });
  router.delete('/scenario', async (req, res) => {
    const world = worldOf(req);
    engine.clear(world);
    await world.persist();
    res.json(view(world));
  });

  router.get('/faults', (req, res) => {
    const faults = engine.view(worldOf(req)).faults;
    res.json({ count: faults.length, faults });
  });
  router.post('/faults', (req, res) => {
    const world = worldOf(req);
    if (!isPlainObject(req.body)) return adminError(res, 400, 'invalid_request', 'Send one fault rule as a JSON object, e.g. {"endpoint": "token.as", "nth": 2, "respond": {"status": 500}}.');
    let id: string;
    try {
      id = engine.arm(world, req.body, 'request body').label;
    } catch (e) {
      return scenarioError(res, e);
    }
    res.status(201).json({ fault: engine.view(world).faults.find((f) => f.id === id) });
  });
  router.delete('/faults', (req, res) => {
    res.json({ removed: engine.disarm(worldOf(req)) });
  });
  router.delete('/faults/:id', (req, res) => {
    const id = String(req.params.id);
    const removed = engine.disarm(worldOf(req), id);
    if (!removed) return adminError(res, 404, 'not_found', `No armed fault rule "${id}"; GET /__sandbox/faults lists them (rules of scenarios go with DELETE /__sandbox/scenario).`);
    res.json({ removed });
  });
}
