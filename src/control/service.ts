import { unknownSessionError } from '../core/errors/control-error.js';
import type { Journal, JournalEntry, JournalFilter } from '../core/journal.js';
import type { Expectation, Verification } from '../core/matching/verify.js';
import type { AnyPlatform, PlatformAdminRoute, PlatformSummary } from '../core/platform.js';
import type { ScenarioEngine } from '../core/scenarios/engine.js';
import type { FaultView, ScenarioView } from '../core/scenarios/runtime.js';
import type { Scenario } from '../core/scenarios/schema.js';
import type { Session, SessionRegistry } from '../core/sessions/registry.js';
import type { ClockChange } from '../core/time/clock.js';
import type { World } from '../core/world.js';
import { changing } from './changing.js';
import { moveClock } from './clock.js';
import { armFault, disarmFaults, listFaults } from './faults.js';
import { allRequests, localRequests, verifyAll, verifyLocal } from './requests.js';
import { activeScenario, clearScenario, exportWorld, useScenario } from './scenarios.js';
import { createSession, endSession, existingSession } from './sessions.js';
import { endToken, listTokens } from './tokens.js';
import type { Health, InputOrigin, ScenarioSelection, SessionRequest, TokenAction, TokenPick, TokenQuery } from './types.js';
import { clockView, type ClockView, type TokenView } from './views.js';

/** What the control service works with: handed in by the composition root, never the whole sandbox. */
export interface ControlDeps {
  version: string;
  platforms: readonly AnyPlatform[];
  /** The default world (a getter: the composition root owns it). */
  defaultWorld(): World;
  sessions: SessionRegistry;
  scenarios: ScenarioEngine;
  journal: Journal;
  limits: { maxFaults: number };
  /** Readiness: `status: "unavailable"` with the reason while the shared store cannot be reached. */
  health(): Health | Promise<Health>;
  /** Liveness: the process serves, whatever the store does. */
  liveness(): Health;
}

/**
 * Every operation of the control plane, as typed domain calls (WireMock's `Admin` is the model). The
 * HTTP control plane (admin/) parses bodies, paths and queries into these types and renders what they
 * return; the in-process API (in-process/) calls the same methods with its own arguments. Every method
 * that changes a world returns once the change is durable (`--db`, a shared store). Refusals are
 * ControlErrors (LoadErrors for scenarios that do not load).
 *
 * This is the one door both adapters hold; the operations live by domain beside it (clock.ts,
 * requests.ts, tokens.ts, scenarios.ts, faults.ts, sessions.ts), each taking only what it uses.
 * The `local…` methods answer from this process alone, at once: what synchronous readers use.
 */
export class SandboxControl {
  constructor(private readonly deps: ControlDeps) {}

  get version(): string {
    return this.deps.version;
  }

  get platformIds(): string[] {
    return this.deps.platforms.map((p) => p.id);
  }

  health(): Health | Promise<Health> {
    return this.deps.health();
  }

  liveness(): Health {
    return this.deps.liveness();
  }

  /** Base URLs and test credentials of every platform, as a client reaching `baseUrl` would use them. */
  platformSummaries(baseUrl: string): PlatformSummary[] {
    const world = this.deps.defaultWorld();
    return this.deps.platforms.map((p) => p.summary(world.fixture(p.id), baseUrl));
  }

  /**
   * The world a session id names, the default world without one, brought up to date with the other
   * processes of a shared sandbox. Refuses a session that does not exist (or was ended elsewhere).
   */
  async world(session?: string): Promise<World> {
    const world = session === undefined ? this.deps.defaultWorld() : (await this.deps.sessions.find(session))?.world;
    if (!world || !(await world.sync())) throw unknownSessionError(session ?? 'default');
    return world;
  }

  /** The world of a session this process knows, without asking a shared store. */
  knownWorld(session?: string): World | undefined {
    return session === undefined ? this.deps.defaultWorld() : this.deps.sessions.get(session)?.world;
  }

  /** Back to the fixtures: no tokens, initial platform data, host time (the default world also empties the journal); active scenarios start over. */
  reset(world: World): Promise<{ status: 'reset'; tokens: number }> {
    return changing(world, async () => {
      await world.reset();
      if (world === this.deps.defaultWorld()) await this.deps.journal.clearAll();
      return { status: 'reset' as const, tokens: await world.tokens.count() };
    });
  }

  /** A route a platform adds to the control plane (UserCenter's user edits), its input already checked by the route's schema. */
  runPlatformRoute(world: World, platform: AnyPlatform, route: PlatformAdminRoute, input: unknown): Promise<unknown> {
    return changing(world, async () => route.handle({ body: input, world, fixture: world.fixture(platform.id), index: world.index(platform.id) }));
  }

  // The clock (clock.ts).
  clock(world: World): ClockView {
    return clockView(world);
  }
  moveClock(world: World, change: ClockChange): { view: ClockView; durable: Promise<void> } {
    return moveClock(world, change);
  }

  // The journal (requests.ts).
  requests(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    return allRequests(this.deps.journal, filter);
  }
  localRequests(filter: JournalFilter = {}): JournalEntry[] {
    return localRequests(this.deps.journal, filter);
  }
  verify(match: unknown, expectation: Expectation): Promise<Verification> {
    return verifyAll(this.deps.journal, match, expectation);
  }
  localVerify(match: unknown, expectation: Expectation): Verification {
    return verifyLocal(this.deps.journal, match, expectation);
  }
  clearRequests(): Promise<void> {
    return this.deps.journal.clearAll();
  }

  // Codes and tokens (tokens.ts).
  tokens(world: World, query: TokenQuery = {}): Promise<TokenView[]> {
    return listTokens(world, query);
  }
  endToken(world: World, value: string, action: TokenAction, pick: TokenPick = {}): Promise<TokenView> {
    return endToken(world, value, action, pick);
  }

  // Scenarios (scenarios.ts).
  library() {
    const library = this.deps.scenarios.library;
    return { dirs: library.dirs, scenarios: library.list() };
  }
  scenario(world: World): Promise<ScenarioView & { clock: ClockView }> {
    return activeScenario(world);
  }
  localScenario(world: World): ScenarioView {
    return world.scenarios.view();
  }
  useScenario(world: World, selection: ScenarioSelection, origin: InputOrigin = {}) {
    return useScenario(this.deps.scenarios, world, selection, origin);
  }
  clearScenario(world: World) {
    return clearScenario(world);
  }
  export(world: World, name?: string): Promise<Scenario> {
    return exportWorld(world, name);
  }

  // Fault rules (faults.ts).
  faults(world: World): Promise<FaultView[]> {
    return listFaults(world);
  }
  armFault(world: World, rule: unknown, origin: InputOrigin = {}): FaultView {
    return armFault(this.deps.scenarios, this.deps.limits.maxFaults, world, rule, origin);
  }
  disarmFaults(world: World, id?: string): number {
    return disarmFaults(world, id);
  }

  // Sessions (sessions.ts): of every process of this sandbox, or (`localSessions`) the ones this process knows.
  sessions(): Promise<Session[]> {
    return this.deps.sessions.list();
  }
  localSessions(): Session[] {
    return this.deps.sessions.known();
  }
  session(id: string): Promise<Session> {
    return existingSession(this.deps.sessions, id);
  }
  createSession(request: SessionRequest = {}, origin: InputOrigin = {}): Promise<Session> {
    return createSession(this.deps.sessions, this.deps.scenarios, request, origin);
  }
  endSession(id: string): Promise<void> {
    return endSession(this.deps.sessions, id);
  }
  endSessions(): Promise<number> {
    return this.deps.sessions.clear();
  }
}
