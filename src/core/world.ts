import { Clock, type ClockChange, type ClockState } from './time/clock.js';
import type { AnyPlatform } from './platform.js';
import type { Random } from './random/seeded-random.js';
import { ScenarioRuntime, type SharedLayer } from './scenarios/runtime.js';
import { MemoryState, type StateBackend } from './state/state-backend.js';
import { then, type MaybePromise } from './state/maybe-async.js';
import { MemoryTokens } from './state/memory-tokens.js';
import type { TokenBackend } from './state/token-backend.js';
import type { TokenRecord } from './state/token-record.js';
import type { TokenStore } from './state/token-store.js';
import { TokenLifecycle } from './tokens/lifecycle.js';
import { composePolicy, type LifecyclePolicy, type PolicyOverrides } from './tokens/policy.js';

/** Something in a world changed: what the event stream, the dashboard and persistence follow. */
export type WorldChange =
  | { type: 'token'; record: TokenRecord }
  | { type: 'tokens' }
  | { type: 'tokens-cleared' }
  | { type: 'state'; platform: string }
  | { type: 'clock' }
  | { type: 'scenario' }
  | { type: 'faults' }
  /** A session was opened or ended (announced on the default world, whose dashboard lists them). */
  | { type: 'sessions' }
  | { type: 'reset' };

/** Keeps a world's durable changes somewhere: `flush` resolves once every change so far is there. */
export interface Durability {
  flush(): Promise<void>;
}

/**
 * A world several processes share (a Redis store): its clock and active scenarios, which each process
 * holds and reads again when they changed elsewhere, and its fault counters, which are counted in the store.
 */
export interface WorldLink {
  /** Bring clock and scenarios up to date; false when the world is gone (its session ended elsewhere). */
  sync(world: World): Promise<boolean>;
  publish(change: { clock?: ClockState; layers?: SharedLayer[] }): Promise<void>;
  /** Count one matching call of a rule in every process; the call's number. */
  countCall(rule: string): Promise<number>;
  /** Count a fire, within `times` when given; false when the rule already fired that often. */
  fire(rule: string, times: number | undefined): Promise<boolean>;
  counters(): Promise<Record<string, number>>;
  /** Tell the other processes' dashboards that something changed. */
  notify(type: WorldChange['type']): void;
  /** Write the world's settings if no process has yet; true when this one did. */
  create(clock: ClockState): Promise<boolean>;
}

export interface WorldOptions {
  id: string;
  platforms: readonly AnyPlatform[];
  fixtures: Record<string, unknown>;
  random: Random;
  clock?: Clock;
  /** Where its codes, tokens and platform data live (default: this process's memory). */
  backend?: { tokens: TokenBackend; state: (initial: () => Record<string, unknown>) => StateBackend; link?: WorldLink };
}

/** Change types that persistence must write: fault counters and scenario switches are not kept by --db. */
const DURABLE: ReadonlySet<WorldChange['type']> = new Set(['token', 'tokens-cleared', 'state', 'clock', 'reset']);

/**
 * Everything one isolated sandbox holds: its clock, its tokens, its platform data and the scenarios
 * active in it. It is the one place things change: every change is announced as one event, which
 * persistence and the event stream follow. The default world serves plain requests; sessions each
 * get their own.
 */
export class World {
  readonly id: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly tokens: TokenLifecycle;
  private readonly tokenBackend: TokenBackend;
  private readonly stateBackend: StateBackend;
  readonly platforms: ReadonlyMap<string, AnyPlatform>;
  readonly scenarios: ScenarioRuntime;
  private fixturesValue: Record<string, unknown>;
  private indexes = new Map<string, unknown>();
  private overridesValue: PolicyOverrides = {};
  private readonly policyCache = new Map<string, LifecyclePolicy>();
  private readonly listeners = new Set<(change: WorldChange) => void>();
  private durability?: Durability;
  private durableVersion = 0;
  /** Writes of shared settings not yet acknowledged by the store (flush waits for them). */
  private readonly sharing = new Set<Promise<void>>();
  readonly link?: WorldLink;

  constructor(opts: WorldOptions) {
    this.id = opts.id;
    this.clock = opts.clock ?? new Clock();
    this.random = opts.random;
    this.platforms = new Map(opts.platforms.map((p) => [p.id, p]));
    this.fixturesValue = opts.fixtures;
    this.tokenBackend = opts.backend?.tokens ?? new MemoryTokens();
    this.link = opts.backend?.link;
    this.stateBackend = (opts.backend?.state ?? ((initial) => new MemoryState(initial())))(() => this.initialState());
    this.tokens = new TokenLifecycle(this.tokenBackend, this.clock, this.random, (platform, appId) => this.policy(platform, appId));
    if (this.tokenBackend instanceof MemoryTokens) {
      this.tokenBackend.store.onChange((change) => this.announce(change === 'all' ? { type: 'tokens-cleared' } : { type: 'token', record: change }));
    } else this.tokenBackend.onChange?.(() => this.announce({ type: 'tokens' }));
    this.scenarios = new ScenarioRuntime(this, [...this.platforms.keys()]);
  }

  /** The in-memory token store of a world kept in this process (persistence and tests look into it). */
  get store(): TokenStore {
    if (!(this.tokenBackend instanceof MemoryTokens)) throw new Error('internal error: this world keeps its tokens in a shared store, not in memory');
    return this.tokenBackend.store;
  }

  fixture<F>(platformId: string): F {
    return this.fixturesValue[platformId] as F;
  }

  get fixtures(): Record<string, unknown> {
    return this.fixturesValue;
  }

  /** A platform's lookups over the current fixtures, built on first use after each load. */
  index<I>(platformId: string): I {
    let index = this.indexes.get(platformId);
    if (index === undefined) {
      const def = this.platforms.get(platformId);
      if (!def) throw new Error(`unknown platform ${platformId}`);
      index = def.index(this.fixturesValue[platformId]);
      this.indexes.set(platformId, index);
    }
    return index as I;
  }

  setFixtures(fixtures: Record<string, unknown>): void {
    this.fixturesValue = fixtures;
    this.indexes = new Map();
    this.policyCache.clear();
  }

  policy(platform: string, appId: string): LifecyclePolicy {
    const key = `${platform}\u0000${appId}`;
    let p = this.policyCache.get(key);
    if (!p) {
      const def = this.platforms.get(platform);
      if (!def) throw new Error(`unknown platform ${platform}`);
      p = composePolicy(def, this.fixturesValue[platform], this.index(platform), appId, this.overridesValue);
      this.policyCache.set(key, p);
    }
    return p;
  }

  get overrides(): PolicyOverrides {
    return this.overridesValue;
  }

  /** The scenario runtime lays its composed policy here. */
  setOverrides(overrides: PolicyOverrides): void {
    this.overridesValue = overrides;
    this.policyCache.clear();
  }

  /** A platform's mutable data, to read (change it only through updateState); at once in memory. */
  readState<S>(platformId: string): MaybePromise<S> {
    return this.stateBackend.read(platformId) as MaybePromise<S>;
  }

  /** Change a platform's data: `change` edits it and may return a result; the change is announced. */
  updateState<S, T>(platformId: string, change: (state: S) => T): MaybePromise<T> {
    return then(
      this.stateBackend.update(platformId, (state) => change(state as S)),
      (result) => {
        this.announce({ type: 'state', platform: platformId });
        return result;
      },
    );
  }

  /** Every platform's data, for export. */
  async allState(): Promise<Record<string, unknown>> {
    return this.stateBackend.all();
  }

  /** Every platform's data as it is now in memory (persistence writes memory worlds only). */
  get stateSnapshot(): Record<string, unknown> {
    if (!(this.stateBackend instanceof MemoryState)) throw new Error('internal error: this world keeps its platform data in a shared store, not in memory');
    return this.stateBackend.snapshot;
  }

  /** Lay saved or seeded platform data over the current one (persistence, scenario state). */
  async loadState(state: Record<string, unknown>, announce = true): Promise<void> {
    await this.stateBackend.load(state);
    if (announce) for (const platform of Object.keys(state)) this.announce({ type: 'state', platform });
  }

  /** The one way to move the clock, whoever asks (control plane, in-process API, scenarios). */
  moveClock(change: ClockChange): number {
    const now = this.clock.apply(change);
    this.share({ clock: this.clock.state() });
    this.announce({ type: 'clock' });
    return now;
  }

  /** A shared world: write its settings unless another process has; true when this one did (or the world is this process's alone). */
  async open(): Promise<boolean> {
    return this.link ? this.link.create(this.clock.state()) : true;
  }

  /**
   * A shared world: bring clock and scenarios up to date with the other processes; false when it no
   * longer exists. A world without a link has nothing to catch up with (the dispatcher does not ask).
   */
  sync(): MaybePromise<boolean> {
    return this.link ? this.link.sync(this) : true;
  }

  /** Write shared settings to the store; flush() waits until they are acknowledged. */
  share(change: { clock?: ClockState; layers?: SharedLayer[] }): void {
    if (!this.link) return;
    const write = this.link.publish(change);
    this.sharing.add(write);
    const done = () => this.sharing.delete(write);
    write.then(done, done);
  }

  /** Back to the fixtures: no tokens, initial platform data, host time; the active scenarios start over. */
  async reset(): Promise<void> {
    await this.tokenBackend.clear();
    await this.stateBackend.replace(this.initialState());
    this.clock.reset();
    this.scenarios.reapply();
    this.announce({ type: 'reset' });
  }

  /** Follow every change; returns the way to stop. */
  on(listener: (change: WorldChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  announce(change: WorldChange): void {
    if (DURABLE.has(change.type)) this.durableVersion++;
    for (const l of this.listeners) l(change);
    this.link?.notify(change.type);
  }

  /** A change another process made (its dashboards are told here too; persistence has nothing to write). */
  announceRemote(type: WorldChange['type']): void {
    for (const l of this.listeners) l(type === 'token' ? { type: 'tokens' } : ({ type } as WorldChange));
  }

  /** Grows with every change persistence must keep: equal before and after a request means nothing to write. */
  get version(): number {
    return this.durableVersion;
  }

  /** Where durable changes go (`--db`); without one they live in memory only. */
  keepWith(durability: Durability): void {
    this.durability = durability;
  }

  /** Once every change so far is kept: nothing to wait for (no promise) without --db or a shared store. */
  flush(): MaybePromise<void> {
    if (this.sharing.size) return Promise.all(this.sharing).then(() => this.durability?.flush());
    if (this.durability) return this.durability.flush();
  }

  private initialState(): Record<string, unknown> {
    const state: Record<string, unknown> = {};
    for (const [id, def] of this.platforms) state[id] = def.initialState(this.fixturesValue[id]);
    return state;
  }
}
