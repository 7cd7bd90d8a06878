import { ControlError, unknownSessionError } from '../core/errors/control-error.js';
import type { Journal, JournalEntry, JournalFilter } from '../core/journal.js';
import { readMatch } from '../core/matching/read-match.js';
import { verifyRequests, type Expectation, type Verification } from '../core/matching/verify.js';
import type { AnyPlatform, PlatformAdminRoute, PlatformSummary } from '../core/platform.js';
import type { ScenarioEngine, UseOptions } from '../core/scenarios/engine.js';
import { exportScenario } from '../core/scenarios/export.js';
import { faultView, type FaultView, type ScenarioView } from '../core/scenarios/runtime.js';
import type { Scenario } from '../core/scenarios/schema.js';
import type { Session, SessionRegistry } from '../core/sessions/registry.js';
import { tokenState } from '../core/state/token-record.js';
import { TimeRangeError, type ClockChange } from '../core/time/clock.js';
import type { World } from '../core/world.js';
import { findToken } from './find-token.js';
import type { Health, InputOrigin, ScenarioSelection, SessionRequest, TokenAction, TokenPick, TokenQuery } from './types.js';
import { clockView, scenarioView, tokenView, type ClockView, type TokenView } from './views.js';

const invalid = (message: string) => new ControlError('invalid_request', message);

/** A journal filter from any caller, checked as a matcher (a typo or a bad regular expression is refused, not ignored). */
function checkedFilter(filter: JournalFilter): JournalFilter {
  if (filter === null || typeof filter !== 'object')
    throw invalid(`A request filter is a matcher object such as {"platform": "sop"}, got ${JSON.stringify(filter)}.`);
  const { limit, ...match } = filter;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0))
    throw invalid(`"limit" must be a whole number, got ${JSON.stringify(limit)}.`);
  return { ...readMatch(match, 'filter'), ...(limit !== undefined ? { limit } : {}) };
}

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

export const MAX_TOKEN_LIMIT = 10_000;

/**
 * Every operation of the control plane, as typed domain calls (WireMock's `Admin` is the model). The
 * HTTP control plane (admin/) parses bodies, paths and queries into these types and renders what they
 * return; the in-process API (in-process/) calls the same methods with its own arguments. Every method
 * that changes a world returns once the change is durable (`--db`, a shared store). Refusals are
 * ControlErrors (LoadErrors for scenarios that do not load).
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

  /** The world of a session this process knows, without asking a shared store: what synchronous readers use. */
  knownWorld(session?: string): World | undefined {
    return session === undefined ? this.deps.defaultWorld() : this.deps.sessions.get(session)?.world;
  }

  clock(world: World): ClockView {
    return clockView(world);
  }

  /**
   * Move the clock (fields apply in the order reset, rate, set, advance). The move applies at once, so the
   * next request sees it; `durable` resolves once it is kept. A move that would leave the sandbox's time
   * range as a whole refuses and moves nothing.
   */
  moveClock(world: World, change: ClockChange): { view: ClockView; durable: Promise<void> } {
    try {
      world.moveClock(change);
    } catch (e) {
      if (e instanceof TimeRangeError) throw invalid(e.message);
      throw e;
    }
    return { view: clockView(world), durable: Promise.resolve(world.flush()) };
  }

  /** The journal of every process of this sandbox, newest first: the entries a matcher selects (see core/matching). */
  async requests(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    return this.deps.journal.listAll(checkedFilter(filter));
  }

  /** This process's part of the journal (all of it with one process): what synchronous readers use. */
  localRequests(filter: JournalFilter = {}): JournalEntry[] {
    return this.deps.journal.list(checkedFilter(filter));
  }

  /** Count the requests a matcher selects, over every process's journal, and judge the count (a report with near misses when it fails). */
  async verify(match: unknown, expectation: Expectation): Promise<Verification> {
    const checked = readMatch(match);
    return verifyRequests(await this.deps.journal.listAll(), checked, expectation);
  }

  /** The same over this process's journal, at once (the in-process API's assertion). */
  localVerify(match: unknown, expectation: Expectation): Verification {
    const checked = readMatch(match);
    return verifyRequests(this.deps.journal.list(), checked, expectation);
  }

  clearRequests(): Promise<void> {
    return this.deps.journal.clearAll();
  }

  /** Every code and token with its state by the sandbox clock, in issue order (or newest first). */
  async tokens(world: World, query: TokenQuery = {}): Promise<TokenView[]> {
    const now = world.clock.now();
    const { state } = query;
    const records = await world.tokens.list({
      platform: query.platform,
      kind: query.kind,
      where: state === undefined ? undefined : (rec) => tokenState(rec, now) === state,
      limit: Math.min(query.limit ?? 1000, MAX_TOKEN_LIMIT),
      order: query.order,
    });
    return records.map((rec) => tokenView(rec, now));
  }

  /** Expire or revoke one code or token now (the dashboard's buttons). */
  endToken(world: World, value: string, action: TokenAction, pick: TokenPick = {}): Promise<TokenView> {
    return this.changing(world, async () => {
      const rec = await findToken(world, value, pick);
      const live = rec.expiresAt === null || rec.expiresAt > world.clock.now();
      // Moving the end of an already expired value would only blur when it expired.
      if (action === 'expire' && live) await world.tokens.expire(rec);
      if (action === 'revoke') {
        await world.tokens.revoke(rec, 'admin');
        // Codes have no revoked state in the protocols (exchanges check use and expiry), so a revoked code also ends now.
        if (rec.kind === 'code' && live) await world.tokens.expire(rec);
      }
      const after = (await world.tokens.find(rec.platform, rec.kind, rec.value)) ?? rec;
      return tokenView(after, world.clock.now());
    });
  }

  /** Back to the fixtures: no tokens, initial platform data, host time (the default world also empties the journal); active scenarios start over. */
  reset(world: World): Promise<{ status: 'reset'; tokens: number }> {
    return this.changing(world, async () => {
      await world.reset();
      if (world === this.deps.defaultWorld()) await this.deps.journal.clearAll();
      return { status: 'reset' as const, tokens: await world.tokens.count() };
    });
  }

  library() {
    const library = this.deps.scenarios.library;
    return { dirs: library.dirs, scenarios: library.list() };
  }

  /** What is active, with fault counters of every process. */
  async scenario(world: World): Promise<ScenarioView & { clock: ClockView }> {
    await world.scenarios.syncCounters();
    return scenarioView(world);
  }

  /** What is active, with the counters this process has seen: what synchronous readers use. */
  localScenario(world: World): ScenarioView {
    return world.scenarios.view();
  }

  /** Activate scenarios: a scenario that does not load changes nothing. */
  useScenario(world: World, selection: ScenarioSelection, origin: InputOrigin = {}) {
    return this.changing(world, async () => {
      const opts: UseOptions = { add: selection.add, allowPaths: origin.allowPaths ?? false, label: origin.label };
      await this.deps.scenarios.use(world, selection.refs, opts);
      return scenarioView(world);
    });
  }

  clearScenario(world: World) {
    return this.changing(world, async () => {
      await world.scenarios.clear();
      return scenarioView(world);
    });
  }

  async faults(world: World): Promise<FaultView[]> {
    await world.scenarios.syncCounters();
    return world.scenarios.view().faults;
  }

  /**
   * Arm one fault rule over everything active, validated like a scenario holding just it (`origin.label`
   * names it in the messages). O(1) in the rules already armed. Synchronous: the in-process API arms
   * rules between calls without awaiting.
   */
  armFault(world: World, rule: unknown, origin: InputOrigin = {}): FaultView {
    const cap = this.deps.limits.maxFaults;
    if (world.scenarios.armedCount >= cap) {
      throw new ControlError(
        'too_many_faults',
        `${cap} fault rules are armed in this world, the cap (--max-faults, maxFaults); remove the ones you are done with (DELETE /__sandbox/faults or /__sandbox/faults/<id>) or start the sandbox with a higher --max-faults.`,
      );
    }
    return faultView(this.deps.scenarios.arm(world, rule, origin.label ?? 'fault rule'));
  }

  /** Remove one armed rule (by id) or all of them; how many went. */
  disarmFaults(world: World, id?: string): number {
    const removed = world.scenarios.disarm(id);
    if (id !== undefined && !removed)
      throw new ControlError(
        'not_found',
        `No armed fault rule "${id}"; GET /__sandbox/faults lists them (rules of scenarios go with DELETE /__sandbox/scenario).`,
      );
    return removed;
  }

  /** Every open session, of every process of this sandbox. */
  sessions(): Promise<Session[]> {
    return this.deps.sessions.list();
  }

  /** The sessions this process knows: what synchronous readers use. */
  localSessions(): Session[] {
    return this.deps.sessions.known();
  }

  session(id: string): Promise<Session> {
    return this.knownSession(id);
  }

  /** Open a session (with its scenarios); one whose scenarios do not load is not left behind. */
  async createSession(request: SessionRequest = {}, origin: InputOrigin = {}): Promise<Session> {
    // Scenarios are read and checked before the session exists, so one that does not load leaves nothing behind.
    const loaded = request.scenarios?.length
      ? this.deps.scenarios.load(request.scenarios, { allowPaths: origin.allowPaths ?? false, label: origin.label ?? 'request body' })
      : undefined;
    const session = await this.deps.sessions.create(request.id);
    try {
      await this.changing(session.world, async () => {
        if (loaded) await session.world.scenarios.use(loaded);
      });
      return session;
    } catch (e) {
      await this.deps.sessions.delete(session.id);
      throw e;
    }
  }

  async endSession(id: string): Promise<void> {
    await this.knownSession(id);
    await this.deps.sessions.delete(id);
  }

  /** End every session; how many ended. */
  endSessions(): Promise<number> {
    return this.deps.sessions.clear();
  }

  private async knownSession(id: string): Promise<Session> {
    const session = await this.deps.sessions.find(id);
    if (!session) throw unknownSessionError(id);
    return session;
  }

  /** The world as a scenario file: load it into a sandbox with the same fixtures to get the same answers. */
  async export(world: World, name?: string): Promise<Scenario> {
    await world.scenarios.syncCounters();
    return exportScenario(world, { name });
  }

  /** A route a platform adds to the control plane (UserCenter's user edits), its input already checked by the route's schema. */
  runPlatformRoute(world: World, platform: AnyPlatform, route: PlatformAdminRoute, input: unknown): Promise<unknown> {
    return this.changing(world, async () => route.handle({ body: input, world, fixture: world.fixture(platform.id), index: world.index(platform.id) }));
  }

  /** Run a change and return once the world has kept it: the one place the control service makes changes durable. */
  private async changing<T>(world: World, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      // Even a refused change may have kept part of its work (a session's scenarios that failed after loading).
      await world.flush();
    }
  }
}
