import type { SandboxControl } from '../control/service.js';
import type { ScenarioRef } from '../core/scenarios/loader.js';
import { orRefuse, readAdvance, readInstant, readRate } from '../core/time/clock-input.js';
import type { ClockChange } from '../core/time/clock.js';
import type { World } from '../core/world.js';
import type { SandboxClock, SandboxSession, ScenarioControl, SessionControl } from './api.js';
import type { PendingWrites } from './pending-writes.js';
import { verifyFacade } from './verify.js';

/**
 * The in-process API as thin adapters over the control service: its arguments read into the service's
 * types (the same readers and messages as the HTTP control plane), every call one service method.
 */

/** The clock of one world. Numbers given to advance() are milliseconds (the HTTP body's are seconds). */
export function clockFacade(control: SandboxControl, world: World, writes: PendingWrites): SandboxClock {
  const move = (change: ClockChange): number => {
    const moved = control.moveClock(world, change);
    writes.add(moved.durable);
    return moved.view.epochMs;
  };
  return {
    now: () => world.clock.now(),
    advance: (by) => move({ advance: orRefuse(readAdvance(by, 'ms')) }),
    set: (to) => move({ set: orRefuse(readInstant(to)) }),
    setRate: (rate) => {
      move({ rate: orRefuse(readRate(rate)) });
    },
  };
}

export function scenarioFacade(control: SandboxControl, world: World): ScenarioControl {
  const use = (refs: ScenarioRef[], add: boolean) => control.useScenario(world, { refs, add }, { allowPaths: true });
  return {
    use: (...refs) => use(refs, false),
    add: (...refs) => use(refs, true),
    clear: () => control.clearScenario(world),
    active: () => control.localScenario(world),
    fault: (rule) => control.armFault(world, rule, { label: 'fault rule' }).id,
    export: (name) => control.export(world, name),
  };
}

export function sessionsFacade(control: SandboxControl, baseUrl: () => string, writes: PendingWrites): SessionControl {
  const wrap = (id: string, world: World): SandboxSession => ({
    id,
    url: `${baseUrl()}/s/${id}`,
    headers: { 'X-Sandbox-Session': id },
    clock: clockFacade(control, world, writes),
    scenario: scenarioFacade(control, world),
    requests: (filter) => control.localRequests({ ...filter, session: id }),
    verify: verifyFacade(control, { session: id }),
    close: () => control.endSession(id),
  });
  return {
    create: async ({ id, scenario } = {}) => {
      const scenarios = scenario === undefined ? undefined : Array.isArray(scenario) ? scenario : [scenario];
      const session = await control.createSession({ id, scenarios }, { allowPaths: true, label: 'sessions.create()' });
      return wrap(session.id, session.world);
    },
    get: (id) => {
      const world = control.knownWorld(id);
      return world && wrap(id, world);
    },
    list: () => control.localSessions().map((s) => s.id),
  };
}
