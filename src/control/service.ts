import { TimeRangeError } from '../core/time/clock.js';
import { ControlError, unknownSessionError } from '../core/errors/control-error.js';
import { parseDuration } from '../core/time/duration.js';
import type { JournalFilter } from '../core/journal.js';
import type { UseOptions } from '../core/scenarios/engine.js';
import { exportScenario } from '../core/scenarios/export.js';
import type { ScenarioRef } from '../core/scenarios/loader.js';
import { faultView } from '../core/scenarios/runtime.js';
import type { Scenario } from '../core/scenarios/schema.js';
import type { Session } from '../core/sessions/registry.js';
import { TOKEN_KINDS, tokenState, type TokenKind, type TokenRecord } from '../core/state/token-record.js';
import type { World } from '../core/world.js';
import type { Sandbox } from '../sandbox.js';
import { parseInput } from './parse.js';
import { readScenarioSelection } from './scenario-selection.js';
import { clockChangeSchema, EXPORT_NAME, sessionRequestShape } from './schemas.js';
import { clockView, scenarioView, sessionView, tokenView, type ClockView } from './views.js';

const invalid = (message: string) => new ControlError('invalid_request', message);

/** Query values of the journal and token listings, as they arrive (strings from a URL). */
export type Query = Record<string, unknown>;

/**
 * Every operation the control plane offers, in one place: the HTTP control plane and the in-process
 * API are thin adapters over it, so both validate alike, answer alike and make every change durable
 * and announced alike. Refusals are ControlErrors (and LoadErrors for scenarios that do not load).
 */
export class SandboxControl {
  constructor(private readonly sandbox: Sandbox) {}

  get version(): string {
    return this.sandbox.version;
  }

  get platformIds(): string[] {
    return this.sandbox.platforms.map((p) => p.id);
  }

  /** The token the control plane requires, when one is in force. */
  get adminToken(): string | undefined {
    return this.sandbox.options.adminToken;
  }

  health() {
    return this.sandbox.health();
  }

  /** Base URLs and test credentials of every platform, as a client reaching `baseUrl` would use them. */
  platforms(baseUrl: string) {
    return this.sandbox.summaries(baseUrl);
  }

  /**
   * The world a session id names, the default world without one, brought up to date with the other
   * processes of a shared sandbox; the one place "which world" is decided for the in-process API.
   */
  async world(session?: string): Promise<World> {
    const world = session === undefined ? this.sandbox.world : (await this.sandbox.sessions.find(session))?.world;
    if (!world || !(await world.sync())) throw unknownSessionError(session ?? 'default');
    return world;
  }

  clock(world: World): ClockView {
    return clockView(world);
  }

  /**
   * Move the clock: advance, set, rate, reset ({"advance":"1h"}). The move applies at once; the
   * promise resolves once it is durable (`--db`). Every field is checked before anything moves.
   */
  moveClock(world: World, change: unknown): { view: ClockView; durable: Promise<void> } {
    const body = parseInput(clockChangeSchema, change);
    const set = body.set === undefined ? undefined : typeof body.set === 'number' ? body.set : Date.parse(body.set);
    try {
      world.moveClock({ reset: body.reset === true, rate: body.rate, set, advance: body.advance === undefined ? undefined : parseDuration(body.advance) });
    } catch (e) {
      // The move as a whole would leave the sandbox's time range (each field alone was in range): nothing moved.
      if (e instanceof TimeRangeError) throw invalid(e.message);
      throw e;
    }
    return { view: clockView(world), durable: Promise.resolve(world.flush()) };
  }

  async requests(query: Query) {
    const filter: JournalFilter = {};
    for (const key of ['platform', 'endpoint', 'method', 'session'] as const) if (typeof query[key] === 'string') filter[key] = query[key] as string;
    for (const key of ['status', 'limit'] as const) {
      if (query[key] === undefined) continue;
      const n = Number(query[key]);
      if (!Number.isInteger(n) || n < 0) throw invalid(`"${key}" must be a whole number, got ${JSON.stringify(query[key])}.`);
      filter[key] = n;
    }
    const requests = await this.sandbox.journal.listAll(filter);
    return { count: requests.length, requests };
  }

  clearRequests(): Promise<void> {
    return this.sandbox.journal.clearAll();
  }

  /** Every code and token with its state by the sandbox clock, in issue order (or newest first). */
  async tokens(world: World, query: Query) {
    if (query.order !== undefined && query.order !== 'oldest' && query.order !== 'newest') {
      throw invalid(`"order" must be "oldest" (issue order, the default) or "newest", got ${JSON.stringify(query.order)}.`);
    }
    const now = world.clock.now();
    const records = await world.tokens.list({
      platform: typeof query.platform === 'string' && query.platform !== '' ? query.platform : undefined,
      kind: typeof query.kind === 'string' && query.kind !== '' ? (query.kind as TokenKind) : undefined,
      where: typeof query.state === 'string' && query.state !== '' ? (rec) => tokenState(rec, now) === query.state : undefined,
      limit: Math.min(Number(query.limit) || 1000, 10_000),
      order: query.order as 'oldest' | 'newest' | undefined,
    });
    const tokens = records.map((rec) => tokenView(rec, now));
    return { count: tokens.length, tokens };
  }

  /** Expire or revoke one code or token now (the dashboard's buttons). */
  async endToken(world: World, value: string, action: string, pick: { platform?: unknown; kind?: unknown }) {
    if (action !== 'expire' && action !== 'revoke')
      throw new ControlError('not_found', `No token action "${action}": use POST /__sandbox/tokens/<value>/expire or /revoke.`);
    const rec = await this.findToken(world, value, pick);
    const live = rec.expiresAt === null || rec.expiresAt > world.clock.now();
    // Moving the end of an already expired value would only blur when it expired.
    if (action === 'expire' && live) await world.tokens.expire(rec);
    if (action === 'revoke') {
      await world.tokens.revoke(rec, 'admin');
      // Codes have no revoked state in the protocols (exchanges check use and expiry), so a revoked code also ends now.
      if (rec.kind === 'code' && live) await world.tokens.expire(rec);
    }
    await world.flush();
    const after = (await world.tokens.find(rec.platform, rec.kind, rec.value)) ?? rec;
    return { token: tokenView(after, world.clock.now()) };
  }

  /** The one record a value names, or a refusal saying why there is none. Map lookups only, never a scan. */
  private async findToken(world: World, value: string, pick: { platform?: unknown; kind?: unknown }): Promise<TokenRecord> {
    const { platform, kind } = pick;
    const ids = [...world.platforms.keys()];
    if (platform !== undefined && (typeof platform !== 'string' || !world.platforms.has(platform)))
      throw invalid(`"platform" must be one of ${ids.join(', ')}, got ${JSON.stringify(platform)}.`);
    if (kind !== undefined && (typeof kind !== 'string' || !(TOKEN_KINDS as readonly string[]).includes(kind)))
      throw invalid(`"kind" must be one of ${TOKEN_KINDS.join(', ')}, got ${JSON.stringify(kind)}.`);
    const matches: TokenRecord[] = [];
    for (const p of platform === undefined ? ids : [platform as string]) {
      for (const k of kind === undefined ? TOKEN_KINDS : [kind as TokenKind]) {
        const rec = await world.tokens.find(p, k, value);
        if (rec) matches.push(rec);
      }
    }
    if (matches.length === 1) return matches[0];
    if (matches.length === 0) {
      const where = [platform, kind].filter((x) => x !== undefined).join(' ');
      throw new ControlError(
        'unknown_token',
        `No code or token ${JSON.stringify(value)}${where ? ` (${where})` : ''} in this world; GET /__sandbox/tokens lists them.`,
      );
    }
    throw new ControlError(
      'ambiguous_token',
      `${JSON.stringify(value)} is ${matches.map((m) => `a ${m.platform} ${m.kind}`).join(' and ')}; add ?platform=<id>&kind=<kind> to pick one.`,
    );
  }

  /** Back to the fixtures: no tokens, initial platform data, host time (the default world also empties the journal); active scenarios start over. */
  async reset(world: World) {
    await world.reset();
    if (world === this.sandbox.world) await this.sandbox.journal.clearAll();
    await world.flush();
    return { status: 'reset' as const, tokens: await world.tokens.count() };
  }

  library() {
    const library = this.sandbox.scenarios.library;
    return { dirs: library.dirs, scenarios: library.list() };
  }

  async scenario(world: World) {
    await world.scenarios.syncCounters();
    return scenarioView(world);
  }

  /** Activate scenarios (a body as PUT /scenario takes it, or references): a scenario that does not load changes nothing. */
  async useScenario(world: World, selection: unknown, opts: UseOptions & { refs?: boolean } = {}) {
    const parsed = opts.refs ? { refs: selection as ScenarioRef[], add: opts.add ?? false } : readScenarioSelection(selection);
    if (typeof parsed === 'string') throw invalid(parsed);
    await this.sandbox.scenarios.use(world, parsed.refs, { ...opts, add: parsed.add });
    await world.flush();
    return scenarioView(world);
  }

  async clearScenario(world: World) {
    await world.scenarios.clear();
    await world.flush();
    return scenarioView(world);
  }

  async faults(world: World) {
    await world.scenarios.syncCounters();
    const faults = world.scenarios.view().faults;
    return { count: faults.length, faults };
  }

  /** Arm one fault rule over everything active; validated like a scenario holding just it. O(1) in the rules already armed. */
  armFault(world: World, rule: unknown, label = 'request body') {
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
      throw invalid('Send one fault rule as a JSON object, e.g. {"endpoint": "token.as", "nth": 2, "respond": {"status": 500}}.');
    }
    const cap = this.sandbox.options.maxFaults;
    if (world.scenarios.armedCount >= cap) {
      throw new ControlError(
        'too_many_faults',
        `${cap} fault rules are armed in this world, the cap (--max-faults, maxFaults); remove the ones you are done with (DELETE /__sandbox/faults or /__sandbox/faults/<id>) or start the sandbox with a higher --max-faults.`,
      );
    }
    return { fault: faultView(this.sandbox.scenarios.arm(world, rule, label)) };
  }

  disarmFaults(world: World, id?: string) {
    const removed = world.scenarios.disarm(id);
    if (id !== undefined && !removed)
      throw new ControlError(
        'not_found',
        `No armed fault rule "${id}"; GET /__sandbox/faults lists them (rules of scenarios go with DELETE /__sandbox/scenario).`,
      );
    return { removed };
  }

  async sessions(baseUrl: string) {
    const sessions = await Promise.all((await this.sandbox.sessions.list()).map((s) => sessionView(s, baseUrl)));
    return { count: sessions.length, sessions };
  }

  async session(id: string, baseUrl: string) {
    return sessionView(await this.knownSession(id), baseUrl);
  }

  /** Open a session (with its scenarios); one whose scenarios do not load is not left behind. */
  async createSession(
    body: unknown,
    baseUrl: string,
    opts: { allowPaths?: boolean } = {},
  ): Promise<{ session: Session; view: Awaited<ReturnType<typeof sessionView>> }> {
    const request = parseInput(sessionRequestShape, body ?? {});
    const named = request.scenario !== undefined || request.scenarios !== undefined;
    const wanted = named ? readScenarioSelection({ scenario: request.scenario, scenarios: request.scenarios }) : undefined;
    if (typeof wanted === 'string') throw invalid(wanted);
    // Scenarios are read and checked before the session exists, so one that does not load leaves nothing behind.
    const loaded = wanted ? this.sandbox.scenarios.load(wanted.refs, { allowPaths: opts.allowPaths ?? false, label: 'request body' }) : undefined;
    const session = await this.sandbox.sessions.create(request.id);
    try {
      if (loaded) await session.world.scenarios.use(loaded);
      await session.world.flush();
      return { session, view: await sessionView(session, baseUrl) };
    } catch (e) {
      await this.sandbox.sessions.delete(session.id);
      throw e;
    }
  }

  async endSession(id: string): Promise<void> {
    await this.knownSession(id);
    await this.sandbox.sessions.delete(id);
  }

  async endSessions() {
    return { ended: await this.sandbox.sessions.clear() };
  }

  private async knownSession(id: string): Promise<Session> {
    const session = await this.sandbox.sessions.find(id);
    if (!session) throw new ControlError('unknown_session', `No session "${id}"; GET /__sandbox/sessions lists the open ones.`);
    return session;
  }

  /** The world as a scenario file: load it into a sandbox with the same fixtures to get the same answers. */
  async export(world: World, name?: unknown): Promise<Scenario> {
    if (name !== undefined && (typeof name !== 'string' || !EXPORT_NAME.test(name))) {
      throw invalid(`"name" must be letters, digits, ".", "_" or "-" (at most 64), got ${JSON.stringify(name)}.`);
    }
    await world.scenarios.syncCounters();
    return exportScenario(world, { name: name as string | undefined });
  }
}
