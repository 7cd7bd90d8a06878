import { ControlError } from '../core/errors/control-error.js';
import type { ScenarioEngine } from '../core/scenarios/engine.js';
import { faultView, type FaultView } from '../core/scenarios/runtime.js';
import type { World } from '../core/world.js';
import type { InputOrigin } from './types.js';

/** Every active fault rule, with the counters of every process. */
export async function listFaults(world: World): Promise<FaultView[]> {
  await world.scenarios.syncCounters();
  return world.scenarios.view().faults;
}

/**
 * Arm one fault rule over everything active, validated like a scenario holding just it (`origin.label`
 * names it in the messages), within the `--max-faults` cap. O(1) in the rules already armed.
 * Synchronous: the in-process API arms rules between calls without awaiting.
 */
export function armFault(engine: ScenarioEngine, cap: number, world: World, rule: unknown, origin: InputOrigin): FaultView {
  if (world.scenarios.armedCount >= cap) {
    throw new ControlError(
      'too_many_faults',
      `${cap} fault rules are armed in this world, the cap (--max-faults, maxFaults); remove the ones you are done with (DELETE /__sandbox/faults or /__sandbox/faults/<id>) or start the sandbox with a higher --max-faults.`,
    );
  }
  return faultView(engine.arm(world, rule, origin.label ?? 'fault rule'));
}

/** Remove one armed rule (by id) or all of them; how many went. */
export function disarmFaults(world: World, id?: string): number {
  const removed = world.scenarios.disarm(id);
  if (id !== undefined && !removed)
    throw new ControlError(
      'not_found',
      `No armed fault rule "${id}"; GET /__sandbox/faults lists them (rules of scenarios go with DELETE /__sandbox/scenario).`,
    );
  return removed;
}
