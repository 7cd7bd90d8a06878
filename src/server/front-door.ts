import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Health } from '../control/types.js';
import { ControlError } from '../core/errors/control-error.js';
import type { Dispatcher } from '../core/http/dispatcher.js';
import { jsonReply } from '../core/http/reply.js';
import { send } from '../core/http/send.js';
import type { Logger } from '../core/log.js';
import type { SharedStore } from '../core/state/redis/store.js';
import { then, type MaybePromise } from '../core/state/maybe-async.js';
import type { PassThrough } from '../upstream/pass-through.js';

const HEALTH = '/__sandbox/health';
const LIVENESS = '/__sandbox/health/live';
const HEALTH_TYPE = 'application/json; charset=utf-8';

export interface FrontDoorOptions {
  liveness: () => Health;
  health: () => MaybePromise<Health>;
  /** With --upstream: forwards those platforms' requests to the real ones, ahead of the dispatcher. */
  passThrough: () => PassThrough | undefined;
  dispatch: Dispatcher;
  /** The control plane, loaded on first use (Express is not on the platforms' path). */
  controlApp: () => Promise<(req: IncomingMessage, res: ServerResponse) => void>;
  shared: SharedStore | undefined;
  logger: Logger;
}

/**
 * Where every request to the sandbox comes in, in the order that keeps the common cases cheap: the
 * health probes (answered before anything is loaded), the pass-through (--upstream), the platform
 * dispatcher, and last the control plane and misses.
 */
export function createFrontDoor(opts: FrontDoorOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { dispatch, shared, logger } = opts;

  const serveControl = (req: IncomingMessage, res: ServerResponse): void => {
    opts.controlApp().then(
      (app) => app(req, res),
      (e: unknown) => {
        logger.error(`cannot load the control plane: ${(e as Error)?.stack ?? String(e)}`);
        send(res, jsonReply(new ControlError('internal_error', 'The sandbox could not load its control plane; see its log.').toJSON(), 500));
      },
    );
  };

  /** The sandbox's own answer: a platform endpoint, or the control plane and misses. */
  const serveHere = (req: IncomingMessage, res: ServerResponse): void => {
    // With a shared store, a platform request waits for it 2 s at most in all, whatever it asks of it.
    if (shared) return shared.withBudget(() => dispatch(req, res, () => shared.withoutBudget(() => serveControl(req, res))));
    dispatch(req, res, () => serveControl(req, res));
  };

  return (req, res) => {
    const url = req.url ?? '';
    if (req.method === 'GET' && (url === LIVENESS || url.startsWith(`${LIVENESS}?`))) return send(res, jsonReply(opts.liveness(), 200, HEALTH_TYPE));
    if (req.method === 'GET' && (url === HEALTH || url.startsWith(`${HEALTH}?`))) {
      return void then(opts.health(), (health) => send(res, jsonReply(health, health.status === 'ok' ? 200 : 503, HEALTH_TYPE)));
    }
    const passThrough = opts.passThrough();
    if (passThrough) return passThrough.serve(req, res, () => serveHere(req, res));
    serveHere(req, res);
  };
}
