import { Clock } from './clock.js';
import type { AnyPlatform } from './platform.js';
import type { Random } from './random.js';
import { TokenStore } from './state/token-store.js';
import { TokenLifecycle } from './tokens/lifecycle.js';
import { applyPolicy, type LifecyclePolicy, type PolicyOverride } from './tokens/policy.js';

/** Policy overrides that scenarios lay over the fixtures: for every platform, then per platform. */
export interface PolicyOverrides {
  all?: PolicyOverride;
  platforms?: Record<string, PolicyOverride>;
}

export interface WorldOptions {
  id: string;
  platforms: readonly AnyPlatform[];
  fixtures: Record<string, unknown>;
  random: Random;
  clock?: Clock;
}

/**
 * Everything one isolated sandbox holds: its clock, its tokens, its platform data and the policy
 * overrides in force. The default world serves plain requests; sessions each get their own.
 */
export class World {
  readonly id: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly store = new TokenStore();
  readonly tokens: TokenLifecycle;
  readonly platforms: ReadonlyMap<string, AnyPlatform>;
  private fixturesValue: Record<string, unknown>;
  private stateValue: Record<string, unknown> = {};
  private overridesValue: PolicyOverrides = {};
  private readonly policyCache = new Map<string, LifecyclePolicy>();
  /** Set by the persistence layer: resolves once every change so far is on disk. */
  persist: () => Promise<void> | void = () => undefined;

  constructor(opts: WorldOptions) {
    this.id = opts.id;
    this.clock = opts.clock ?? new Clock();
    this.random = opts.random;
    this.platforms = new Map(opts.platforms.map((p) => [p.id, p]));
    this.fixturesValue = opts.fixtures;
    this.tokens = new TokenLifecycle(this.store, this.clock, this.random, (platform, appId) => this.policy(platform, appId));
    this.resetPlatformState();
  }

  fixture<F>(platformId: string): F {
    return this.fixturesValue[platformId] as F;
  }

  get fixtures(): Record<string, unknown> {
    return this.fixturesValue;
  }

  state<S>(platformId: string): S {
    return this.stateValue[platformId] as S;
  }

  /** The platform state changed in place: tell persistence. */
  touchState(): void {
    this.store.onChangeNotify();
  }

  get allState(): Record<string, unknown> {
    return this.stateValue;
  }

  loadState(state: Record<string, unknown>): void {
    this.stateValue = { ...this.stateValue, ...state };
  }

  policy(platform: string, appId: string): LifecyclePolicy {
    const key = `${platform}\u0000${appId}`;
    let p = this.policyCache.get(key);
    if (!p) {
      const def = this.platforms.get(platform);
      if (!def) throw new Error(`unknown platform ${platform}`);
      const base = def.policy(this.fixturesValue[platform], appId);
      p = applyPolicy(base, this.overridesValue.all, this.overridesValue.platforms?.[platform]);
      this.policyCache.set(key, p);
    }
    return p;
  }

  get overrides(): PolicyOverrides {
    return this.overridesValue;
  }

  setOverrides(overrides: PolicyOverrides): void {
    this.overridesValue = overrides;
    this.policyCache.clear();
  }

  setFixtures(fixtures: Record<string, unknown>): void {
    this.fixturesValue = fixtures;
    this.policyCache.clear();
  }

  /** Back to the fixtures: no tokens, initial platform data, host time. */
  reset(): void {
    this.store.clear();
    this.resetPlatformState();
    this.clock.reset();
  }

  private resetPlatformState(): void {
    const state: Record<string, unknown> = {};
    for (const [id, def] of this.platforms) state[id] = def.initialState(this.fixturesValue[id]);
    this.stateValue = state;
    this.store.onChangeNotify();
  }
}
