import type { World } from '../core/world.js';

/** Run a change and return once the world has kept it: the one place the control service makes changes durable. */
export async function changing<T>(world: World, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } finally {
    // Even a refused change may have kept part of its work (a session's scenarios that failed after loading).
    await world.flush();
  }
}
