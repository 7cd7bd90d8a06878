import type { Health } from '../control/types.js';
import type { SharedStore } from '../core/state/redis/store.js';
import type { MaybePromise } from '../core/state/maybe-async.js';

/** What GET /__sandbox/health/live answers: this process serves (`store`: 'memory' or 'shared'). */
export function liveness(version: string, platforms: readonly { id: string }[], store: string): Health {
  // pid and store say which process answered: several may serve one port (--workers) or one store.
  return {
    status: 'ok',
    version,
    platforms: platforms.map((p) => p.id),
    uptimeSeconds: Math.round(process.uptime()),
    pid: process.pid,
    store,
  };
}

/**
 * What GET /__sandbox/health answers: ready to serve. A process whose shared store cannot be reached
 * answers every request "busy", so a load balancer or a health check must take it out, not keep it.
 */
export function readiness(live: () => Health, shared: SharedStore | undefined): MaybePromise<Health> {
  if (!shared) return live();
  return shared.unreachable().then((why) =>
    why === undefined
      ? live()
      : {
          ...live(),
          status: 'unavailable' as const,
          reason: `the shared store is unreachable (${why}). Check that Redis is running; the sandbox reconnects by itself.`,
        },
  );
}
