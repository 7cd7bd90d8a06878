import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveAdminToken } from './admin/auth.js';
import type { SandboxControl } from './control/service.js';
import type { Health } from './control/types.js';
import { unknownSessionError } from './core/errors/control-error.js';
import { createDispatcher } from './core/http/dispatcher.js';
import type { Interceptor, WorldResolver } from './core/http/exchange.js';
import { jsonReply } from './core/http/reply.js';
import { RouteTable } from './core/http/route-table.js';
import { loadFixtures, loadFixturesSync } from './core/fixtures/loader.js';
import { loadValidators } from './core/validation/lazy-schemas.js';
import { Journal } from './core/journal.js';
import { MEMORY_STORE, refuseConflicts, resolveOptions, type ResolvedOptions, type SandboxOptions } from './core/config/sandbox-options.js';
import { HeldAnswers } from './core/scenarios/held.js';
import { createLogger, type Logger } from './core/log.js';
import type { AnyPlatform, PlatformSummary } from './core/platform.js';
import { ScenarioEngine } from './core/scenarios/engine.js';
import { ReplayableRandom } from './core/random/replayable-random.js';
import { LocalSessions, SessionRegistry } from './core/sessions/registry.js';
import type { SharedStore } from './core/state/redis/store.js';
import { then, type MaybePromise } from './core/state/maybe-async.js';
import type { WorldPersistence } from './core/state/persistence.js';
import { World } from './core/world.js';
import { PLATFORMS } from './platforms/index.js';
import { PACKAGE_VERSION } from './core/config/package-root.js';
import { createFrontDoor } from './server/front-door.js';
import { liveness, readiness } from './server/health.js';
import { HttpHost } from './server/http-host.js';
import { LazyControl, type ControlApp } from './lazy-control.js';
import type { PassThrough } from './upstream/pass-through.js';

export { DEFAULT_STORE_PREFIX, MEMORY_STORE, type ResolvedOptions, type SandboxOptions } from './core/config/sandbox-options.js';

export const VERSION: string = PACKAGE_VERSION;

export type { ControlApp } from './lazy-control.js';

/**
 * One sandbox: the default world and the sessions, the platform dispatcher on node:http, and the
 * control plane (Express, loaded on first use) over the control service.
 */
export class Sandbox {
  readonly options: ResolvedOptions;
  readonly platforms: readonly AnyPlatform[];
  readonly journal: Journal;
  readonly logger: Logger;
  readonly version = VERSION;
  world: World;
  routes: RouteTable;
  /** Interceptors run around every platform endpoint (the scenario engine's fault rules), composed once at create. */
  readonly interceptors: readonly Interceptor[];
  resolveWorld: WorldResolver;
  /** Scenario library and the scenarios active in each world. */
  readonly scenarios: ScenarioEngine;
  /** Isolated sessions, each a world of its own. */
  readonly sessions: SessionRegistry;
  /** The listeners, their URLs and connections. */
  private readonly host: HttpHost;
  /** What every listener runs for a request (bench/hotpath.js calls it with no socket). */
  private readonly serve: (req: IncomingMessage, res: ServerResponse) => void;
  private readonly lazyControl: LazyControl;
  private readonly closeListeners: (() => void)[] = [];
  private persistence?: WorldPersistence;
  /** Answers fault rules delay: released at once when the sandbox stops. */
  private readonly held = new HeldAnswers();
  /** With --upstream: forwards those platforms' requests to the real ones, ahead of the dispatcher. */
  private passThrough?: PassThrough;

  private constructor(
    options: ResolvedOptions,
    platforms: readonly AnyPlatform[],
    fixtures: Record<string, unknown>,
    logger: Logger,
    private readonly shared?: SharedStore,
  ) {
    this.options = options;
    this.platforms = platforms;
    this.logger = logger;
    this.journal = shared ? shared.journal(options.journalSize) : new Journal(options.journalSize);
    // Processes sharing a store must never draw the same values: each mixes its own id into the seed.
    const seedOf = (id: string) =>
      shared ? `${options.seed ?? ''}/${shared.origin}/${id}` : id === 'default' ? options.seed : `${this.world.random.seed}/${id}`;
    const worldOf = (id: string) =>
      new World({
        id,
        platforms: this.platforms,
        fixtures: id === 'default' ? fixtures : this.world.fixtures,
        random: new ReplayableRandom(seedOf(id)),
        backend: shared?.backendFor(id, id === 'default'),
      });
    this.world = worldOf('default');
    this.routes = this.buildRoutes();
    this.scenarios = new ScenarioEngine(this.platforms, options.scenarioDirs);
    this.sessions = new SessionRegistry({
      directory: shared?.sessions ?? new LocalSessions(),
      worldOf,
      seed: this.world.random.seed,
      now: () => this.world.clock.now(),
      max: options.maxSessions,
      changed: () => this.world.announce({ type: 'sessions' }),
    });
    this.interceptors = [this.scenarios.interceptor()];
    this.resolveWorld = (path, headers) => then(this.sessions.resolve(path, headers), (named) => named ?? { world: this.world, path, prefix: '' });
    // Platform endpoints are served before Express: the framework only sees the control plane and misses.
    const dispatch = createDispatcher({
      routes: () => this.routes,
      resolveWorld: (path, headers) => this.resolveWorld(path, headers),
      unknownSession: (id) => jsonReply(unknownSessionError(id).toJSON(), 404),
      defaultWorld: () => this.world,
      journal: this.journal,
      logger: this.logger,
      bodyLimit: this.options.bodyLimit,
      uploadLimit: this.options.uploadLimit,
      interceptors: this.interceptors,
      hold: (ms, send) => this.held.hold(ms, send),
    });
    this.serve = createFrontDoor({
      liveness: () => this.liveness(),
      health: () => this.health(),
      passThrough: () => this.passThrough,
      dispatch,
      controlApp: () => this.controlApp(),
      shared,
      logger,
    });
    this.host = new HttpHost(options, this.serve, logger);
    this.lazyControl = new LazyControl(
      {
        version: this.version,
        platforms,
        defaultWorld: () => this.world,
        sessions: this.sessions,
        scenarios: this.scenarios,
        journal: this.journal,
        limits: { maxFaults: options.maxFaults },
        health: () => this.health(),
        liveness: () => this.liveness(),
      },
      async (control) => (await import('./admin/app.js')).buildControlApp(this, control) as unknown as ControlApp,
    );
  }

  static async create(opts: SandboxOptions = {}): Promise<Sandbox> {
    const options = resolveOptions(opts);
    refuseConflicts(options);
    options.adminToken = resolveAdminToken(options.host, opts.adminToken);
    const platforms = opts.platforms ?? PLATFORMS;
    // The pass-through is loaded only with --upstream; its options are checked before anything opens.
    const passThrough =
      options.upstream.length || options.record || options.upstreamCa || options.shadow
        ? (await import('./upstream/open.js')).preparePassThrough(options, platforms)
        : undefined;
    const fixtures = await loadFixtures(platforms, options.fixtures, options.builtinFixtures);
    // Scenarios are validated as they load, and a --db file may bring some back.
    if (!opts.validateOnDemand || options.scenario.length || options.db) await loadValidators(platforms);
    const logger = await createLogger(options.logFormat, options.logLevel);
    // The Redis client is loaded only for a shared store.
    const shared =
      options.store === MEMORY_STORE ? undefined : await (await import('./core/state/redis/store.js')).openSharedStore(options.store, options.storePrefix);
    const sandbox = new Sandbox(options, platforms, fixtures.data, logger, shared);
    sandbox.passThrough = passThrough?.({
      routes: () => sandbox.routes,
      resolveWorld: (path, headers) => sandbox.resolveWorld(path, headers),
      journal: sandbox.journal,
      logger: sandbox.logger,
    });
    try {
      await sandbox.setUp(shared);
    } catch (e) {
      // Nothing a failed start opened outlives its rejection: the --db lock, the store's connections.
      await sandbox.persistence?.close();
      await shared?.close();
      throw e;
    }
    return sandbox;
  }

  /** Join or set up the shared world, open the --db file, apply --scenario. */
  private async setUp(shared: SharedStore | undefined): Promise<void> {
    const { options } = this;
    if (shared) {
      await (
        await import('./core/state/redis/follow.js')
      ).followSharedStore(shared, {
        journal: this.journal as import('./core/state/redis/journal.js').SharedJournal,
        worldOf: (id) => (id === 'default' ? this.world : this.sessions.get(id)?.world),
        sessionEnded: (id) => this.sessions.forget(id),
      });
      // The first process of a shared sandbox sets its world up; the others join it as it is.
      if (!(await this.world.open())) {
        await this.world.sync();
        if (options.scenario.length)
          this.logger.warn(
            `joined the shared sandbox at ${options.store} as it is; --scenario is applied by the first process only (switch scenarios with PUT /__sandbox/scenario)`,
          );
        return;
      }
    }
    if (options.db) {
      // lowdb is loaded only for --db.
      const { WorldPersistence } = await import('./core/state/persistence.js');
      const persistence = new WorldPersistence(this.world, options.db, { repair: options.dbRepair, warn: (m: string) => this.logger.warn(m) });
      await persistence.open();
      this.persistence = persistence;
    }
    if (options.scenario.length) {
      await this.scenarios.use(this.world, options.scenario, { allowPaths: true });
      await this.world.flush();
    }
  }

  private buildRoutes(): RouteTable {
    const table = new RouteTable(this.platforms, (p) => p.contextPaths(this.world.fixture(p.id)));
    for (const c of table.collisions) this.logger.warn(`path collision: ${c}`);
    return table;
  }

  /** The control service, loaded on first use (see LazyControl). */
  loadControl(): Promise<SandboxControl> {
    return this.lazyControl.load();
  }

  /** The control service, once loadControl() has resolved. */
  get control(): SandboxControl {
    return this.lazyControl.service;
  }

  /** The control plane and the answers to misses, on Express loaded on first use. */
  controlApp(): Promise<ControlApp> {
    return this.lazyControl.app();
  }

  /** Called once when the sandbox starts closing (open event streams end then). */
  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /** What GET /__sandbox/health/live answers: this process serves (also on the fast path, before Express is loaded). */
  liveness(): Health {
    return liveness(this.version, this.platforms, this.options.store === MEMORY_STORE ? MEMORY_STORE : 'shared');
  }

  /** What GET /__sandbox/health answers: ready to serve, or "unavailable" while the shared store cannot be reached. */
  health(): MaybePromise<Health> {
    return readiness(() => this.liveness(), this.shared);
  }

  summaries(baseUrl: string): PlatformSummary[] {
    return this.platforms.map((p) => p.summary(this.world.fixture(p.id), baseUrl));
  }

  async reset(): Promise<void> {
    await (await this.loadControl()).reset(this.world);
  }

  /**
   * Re-read the fixture files and the files of the active scenarios (watch mode). Everything is read and
   * validated first: a bad file throws a LoadError and the sandbox keeps what it had. Issued tokens,
   * platform data, clocks, sessions and the journal stay; the new contents answer the next request.
   */
  reload(): { fixtures: string[]; scenarios: string[] } {
    const fixtures = loadFixturesSync(this.platforms, this.options.fixtures, this.options.builtinFixtures);
    const worlds = [this.world, ...this.sessions.known().map((s) => s.world)];
    const scenarios = this.scenarios.reloadFiles(worlds);
    for (const world of worlds) world.setFixtures(fixtures.data);
    this.routes = this.buildRoutes();
    return { fixtures: fixtures.files, scenarios };
  }

  listen(): Promise<{ port: number; host: string; httpsPort?: number }> {
    return this.host.listen();
  }

  get hostPort(): string {
    return this.host.hostPort;
  }

  get url(): string {
    return this.host.url;
  }

  /** The HTTPS URL when HTTPS is served beside plain HTTP (`httpsPort`); otherwise `url` says it all. */
  get httpsUrl(): string | undefined {
    return this.host.httpsUrl;
  }

  /** Stop accepting, let in-flight requests finish, drop idle connections (a browser's spare ones too), write state out. */
  async close(): Promise<void> {
    for (const listener of this.closeListeners.splice(0)) listener();
    // Answers a fault rule delays leave now: a stop never waits out a delay.
    this.held.releaseAll();
    await this.host.close();
    this.passThrough?.close();
    await this.world.flush();
    await this.persistence?.close();
    await this.shared?.close();
  }
}
