import { ControlError } from '../core/errors/control-error.js';
import { TimeRangeError, type ClockChange } from '../core/time/clock.js';
import type { World } from '../core/world.js';
import { clockView, type ClockView } from './views.js';

/**
 * Move the clock (fields apply in the order reset, rate, set, advance). The move applies at once, so the
 * next request sees it; `durable` resolves once it is kept. A move that would leave the sandbox's time
 * range as a whole refuses and moves nothing.
 */
export function moveClock(world: World, change: ClockChange): { view: ClockView; durable: Promise<void> } {
  try {
    world.moveClock(change);
  } catch (e) {
    if (e instanceof TimeRangeError) throw new ControlError('invalid_request', e.message);
    throw e;
  }
  return { view: clockView(world), durable: Promise.resolve(world.flush()) };
}
