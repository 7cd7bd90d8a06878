/**
 * The shared store could not be reached (Redis down, restarting, or too slow). Platform endpoints
 * answer it in their own system-error shape, the control plane with 503; nothing crashes, and the
 * next request tries again.
 */
export class StoreUnavailable extends Error {
  constructor(override readonly cause: unknown) {
    super(`the shared store is unreachable (${(cause as Error)?.message ?? String(cause)})`);
    this.name = 'StoreUnavailable';
  }
}
