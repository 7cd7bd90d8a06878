import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxControl } from '../control/service.js';
import { ControlError, unknownSessionError } from '../core/errors/control-error.js';
import { MAX_JSON_DEPTH, withinJsonDepth } from '../core/http/params.js';
import { ScenarioNotFound } from '../core/scenarios/loader.js';
import { StoreUnavailable } from '../core/state/store-unavailable.js';
import { LoadError } from '../core/validation/load-error.js';
import type { World } from '../core/world.js';
import type { Sandbox } from '../sandbox.js';
import { adminAuth } from './auth.js';
import { browserGuard } from './guard.js';
import { openApiDocument } from './openapi.js';
import { expressPath, type ControlRoute, type MountDeps, type RawAnswer, type RouteContext } from './control-route.js';
import { CONTROL_ROUTES } from './route-table.js';
import { platformRoutes } from './routes/platform.js';

/**
 * The control plane under /__sandbox (and /s/<session>/__sandbox): the route table mounted on Express.
 * Handlers return data or throw; this is the one place that turns both into answers.
 */
export async function createAdminRouter(sandbox: Sandbox, control: SandboxControl): Promise<Router> {
  const router = express.Router();
  const routes = [...CONTROL_ROUTES, ...(await platformRoutes(sandbox.platforms, sandbox.world, control))];
  // First: no web page drives the control plane (DNS rebinding, cross-site requests); then, on a bind
  // other machines can reach, nothing below answers without the admin token.
  router.use(browserGuard(sandbox.options), adminAuth(sandbox.options.adminToken, sandbox.options.host));
  router.use(express.json({ limit: sandbox.options.bodyLimit, strict: false }));
  router.use((req, _res, next) => {
    if (!withinJsonDepth(req.body)) throw new ControlError('invalid_request', `The body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
    next();
  });
  // A request that names a session must act on it: one that names a session that is gone must not fall back to the default world.
  const worlds = new WeakMap<Request, World>();
  router.use(async (req, _res, next) => {
    const exempt = req.path.startsWith('/health') || (req.path.startsWith('/sessions') && !req.baseUrl.startsWith('/s/'));
    const named = await sandbox.sessions.resolve(req.baseUrl, req.headers);
    if (named && 'unknownSession' in named) {
      if (!exempt) throw unknownSessionError(named.unknownSession);
    } else {
      const world = named?.world ?? sandbox.world;
      // A shared world as the other processes left it; a session ended elsewhere is unknown here too.
      if (!(await world.sync()) && !exempt) throw unknownSessionError(world.id);
      worlds.set(req, world);
    }
    next();
  });
  const worldOf = (req: Request): World => worlds.get(req) ?? sandbox.world;
  const deps: MountDeps = { worldOf, journal: sandbox.journal, onClose: (listener) => sandbox.onClose(listener) };
  const baseUrlOf = (req: Request) => `${req.protocol}://${req.headers.host ?? sandbox.hostPort}`;
  for (const route of routes) {
    const path = expressPath(route.path);
    if (route.mount) route.mount(router, path, deps);
    else
      router[route.method](
        path,
        answer(route, (req) => ({
          control,
          world: worldOf(req),
          body: req.body,
          query: req.query as Record<string, unknown>,
          params: req.params as Record<string, string>,
          baseUrl: baseUrlOf(req),
          describe: () => openApiDocument(routes, control, baseUrlOf(req), sandbox.options.adminToken !== undefined),
        })),
      );
  }
  router.use((req) => {
    throw new ControlError('not_found', `No control-plane route for ${req.method} /__sandbox${req.path}. Routes: ${routeList(routes)}.`);
  });
  // Express recognises error handlers by their four parameters.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => renderError(res, err, sandbox));
  return router;
}

/** Run a route's handler and write what it returned. */
function answer(route: ControlRoute, context: (req: Request) => RouteContext) {
  return async (req: Request, res: Response) => {
    const out = await route.handle!(context(req));
    if (isRaw(out)) {
      res.status(out.status);
      if (out.text === undefined) return void res.end();
      if (out.type) res.type(out.type);
      return void res.send(out.text);
    }
    res.status(route.status ?? 200).json(out);
  };
}

const isRaw = (out: unknown): out is RawAnswer => typeof out === 'object' && out !== null && (out as RawAnswer).raw === true;

/** "GET /health, GET|POST /clock, ..." from the route table itself, so the list cannot go stale. */
function routeList(routes: readonly ControlRoute[]): string {
  const byPath = new Map<string, string[]>();
  for (const r of routes) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.method.toUpperCase()]);
  return [...byPath].map(([path, methods]) => `${methods.join('|')} ${path.replace(/\{(\w+)\}/g, '<$1>')}${path === '/' ? ' (dashboard)' : ''}`).join(', ');
}

/** The one renderer of control-plane refusals: `{"error","message"}` (and `issues` for scenarios). */
function renderError(res: Response, err: unknown, sandbox: Sandbox): void {
  if (res.headersSent) return void res.end();
  let error: ControlError;
  if (err instanceof ControlError) error = err;
  else if (err instanceof LoadError) {
    error = new ControlError(
      err instanceof ScenarioNotFound ? 'unknown_scenario' : 'invalid_scenario',
      err.issues.map((i) => (i.path ? `${i.file}: ${i.path}: ${i.message}` : `${i.file}: ${i.message}`)).join('\n'),
      {
        issues: err.issues.map((i) => ({ file: i.file, path: i.path, message: i.message })),
      },
    );
  } else {
    const e = err as { status?: number; type?: string; message?: string };
    if (err instanceof StoreUnavailable)
      error = new ControlError('store_unavailable', `${err.message}. Check that Redis is running; the sandbox reconnects by itself.`);
    else if (e.type === 'entity.parse.failed') error = new ControlError('invalid_request', `The body is not valid JSON: ${e.message}.`);
    else if (e.type === 'entity.too.large')
      error = new ControlError('payload_too_large', `The body is larger than the limit of ${sandbox.options.bodyLimit} bytes.`);
    else if (e.status && e.status >= 400 && e.status < 500)
      error = new ControlError('invalid_request', e.message ?? 'The request is not what this route takes.');
    else {
      sandbox.logger.error(`control plane failed: ${(err as Error)?.stack ?? String(err)}`);
      error = new ControlError(
        'internal_error',
        `The sandbox failed on this request (${e.message ?? String(err)}). This is a sandbox bug: please report it with the request.`,
      );
    }
  }
  if (error.kind === 'closing') res.setHeader('connection', 'close');
  res.status(error.status).json(error.toJSON());
}
