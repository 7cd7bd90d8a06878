import type { ScenarioEngine, UseOptions } from '../core/scenarios/engine.js';
import { exportScenario } from '../core/scenarios/export.js';
import type { ScenarioView } from '../core/scenarios/runtime.js';
import type { Scenario } from '../core/scenarios/schema.js';
import type { World } from '../core/world.js';
import { changing } from './changing.js';
import type { InputOrigin, ScenarioSelection } from './types.js';
import { scenarioView, type ClockView } from './views.js';

/** What is active, with fault counters of every process. */
export async function activeScenario(world: World): Promise<ScenarioView & { clock: ClockView }> {
  await world.scenarios.syncCounters();
  return scenarioView(world);
}

/** Activate scenarios: a scenario that does not load changes nothing. */
export function useScenario(engine: ScenarioEngine, world: World, selection: ScenarioSelection, origin: InputOrigin) {
  return changing(world, async () => {
    const opts: UseOptions = { add: selection.add, allowPaths: origin.allowPaths ?? false, label: origin.label };
    await engine.use(world, selection.refs, opts);
    return scenarioView(world);
  });
}

export function clearScenario(world: World) {
  return changing(world, async () => {
    await world.scenarios.clear();
    return scenarioView(world);
  });
}

/** The world as a scenario file: load it into a sandbox with the same fixtures to get the same answers. */
export async function exportWorld(world: World, name?: string): Promise<Scenario> {
  await world.scenarios.syncCounters();
  return exportScenario(world, { name });
}
