import { randomBytes } from 'node:crypto';
import type { Exchange } from '../http/exchange.js';
import type { World } from '../world.js';
import { composeOverrides } from './compose.js';
import { CompiledRule, RequestFacts } from './faults.js';
import type { LoadedScenario } from './loader.js';
import { ReplayableRandom } from '../random/replayable-random.js';
import type { FaultRule } from './fault-rule-schema.js';
import type { Scenario } from './schema.js';
import { seedState } from './seed.js';
import { clockTarget } from './activation.js';

/** One active scenario in one world, with its compiled rules (and their counters). */
export interface Layer extends LoadedScenario {
  /** Names the layer's rules in a store shared by several processes (their counters are kept there). */
  uid: string;
  /** Sandbox time the layer was activated: its rules' "after" durations count from here. */
  activatedAt?: number;
  rules: CompiledRule[];
}

/** A layer as the processes sharing a world hand it to each other: what it holds, not what it compiled to. */
export type SharedLayer = Omit<Layer, 'rules'>;

const newUid = (): string => randomBytes(6).toString('hex');

export interface FaultView extends Omit<FaultRule, 'progress'> {
  id: string;
  scenario: string;
  calls: number;
  fired: number;
}

export interface ScenarioView {
  active: { name: string; description?: string; source: string }[];
  /** The composed lifecycle overrides in force, per platform. */
  policy: Record<string, unknown>;
  faults: FaultView[];
}

/**
 * The scenarios active in one world. Layers are kept in the order they were activated; policy is
 * composed from all of them, and fault rules are tried newest layer first, so a later scenario
 * overrides an earlier one both field by field and rule by rule.
 */
export class ScenarioRuntime {
  private layers: Layer[] = [];
  /** How many rules all layers hold, and how many were armed one by one (kept as they change: arming is O(1)). */
  private ruleTotal = 0;
  private armedTotal = 0;
  private armed = 0;

  constructor(
    private readonly world: World,
    private readonly platformIds: readonly string[],
  ) {}

  get active(): readonly Layer[] {
    return this.layers;
  }

  /** Every rule, in the order they are tried: newest layer first (built on demand, for views and export). */
  get rules(): CompiledRule[] {
    const out: CompiledRule[] = [];
    for (let i = this.layers.length - 1; i >= 0; i--) out.push(...this.layers[i].rules);
    return out;
  }

  get ruleCount(): number {
    return this.ruleTotal;
  }

  /** Rules armed one by one (POST /faults), which the armed-rules cap counts. */
  get armedCount(): number {
    return this.armedTotal;
  }

  /** Replace the active scenarios (or, with `add`, lay these over them). */
  async use(scenarios: readonly LoadedScenario[], add = false): Promise<void> {
    if (!add) {
      this.drop(this.layers);
      this.layers = [];
    }
    const fresh = scenarios.map((s) => ({ ...s, uid: newUid(), rules: [] as CompiledRule[] }));
    this.layers = [...this.layers, ...fresh];
    this.world.setOverrides(
      composeOverrides(
        this.layers.map((l) => l.scenario),
        this.platformIds,
      ),
    );
    for (const layer of fresh) await this.activate(layer);
    this.reorder();
  }

  /** Back to the fixtures only. */
  async clear(): Promise<void> {
    this.drop(this.layers);
    this.layers = [];
    this.world.setOverrides({});
    this.reorder();
  }

  /** After the world was reset: the same scenarios again, from their start (clock, seeded state, counters). */
  async reapply(): Promise<void> {
    for (const layer of this.layers) await this.activate(layer);
    this.reorder();
  }

  /**
   * Watch mode: the files behind some layers changed. Those layers take the new contents: their policy
   * and fault rules (counters from zero) apply at once. Clock, seed and state are what activation does,
   * so they are not applied again (PUT /scenario or a restart does that).
   */
  refresh(changed: ReadonlyMap<Layer, LoadedScenario>): void {
    if (changed.size === 0) return;
    for (const [layer, loaded] of changed) {
      layer.name = loaded.name;
      layer.scenario = loaded.scenario;
      layer.uid = newUid();
      layer.activatedAt = undefined;
      this.compile(layer);
    }
    this.world.setOverrides(
      composeOverrides(
        this.layers.map((l) => l.scenario),
        this.platformIds,
      ),
    );
    this.reorder();
  }

  /** Arm one fault rule on top of everything active (a layer of one rule: nothing to seed, no clock to move). O(1) in one process. */
  arm(rule: FaultRule, loaded: (rule: FaultRule, id: string) => LoadedScenario): CompiledRule {
    const id = rule.id ?? `fault-${++this.armed}`;
    const layer: Layer = { ...loaded({ ...rule, id }, id), uid: newUid(), rules: [] };
    this.layers.push(layer);
    this.compile(layer);
    this.ruleTotal += layer.rules.length;
    this.armedTotal++;
    this.shareLayers();
    this.world.announce({ type: 'scenario' });
    return layer.rules[0];
  }

  /** Remove armed rules (all of them, or the one with this id); returns how many went. */
  disarm(id?: string): number {
    const gone = this.layers.filter((l) => l.source === 'runtime' && (id === undefined || l.rules[0]?.label === id));
    this.layers = this.layers.filter((l) => !gone.includes(l));
    this.reorder();
    return gone.length;
  }

  /**
   * Take the layers another process activated (a shared world): their rules and policy, counted where
   * they are counted; what activating did (clock, seeded state) is already in the shared world.
   */
  adopt(shared: readonly SharedLayer[]): void {
    this.layers = shared.map((l) => {
      const layer: Layer = { ...l, rules: [] };
      this.compile(layer);
      return layer;
    });
    this.world.setOverrides(
      composeOverrides(
        this.layers.map((l) => l.scenario),
        this.platformIds,
      ),
    );
    this.reorder(false);
  }

  /** The first rule that fires on this exchange; every matching rule counts the call (in every process sharing the world). */
  async decide(ex: Exchange): Promise<CompiledRule | undefined> {
    const facts = new RequestFacts(ex);
    const now = ex.world.clock.now();
    const matching: CompiledRule[] = [];
    for (let i = this.layers.length - 1; i >= 0; i--) for (const rule of this.layers[i].rules) if (rule.matches(ex, facts)) matching.push(rule);
    if (matching.length === 0) return undefined;
    const link = this.world.link;
    let winner: CompiledRule | undefined;
    if (!link) {
      for (const rule of matching) if (rule.count(now) && !winner) winner = rule;
      if (winner) winner.fired++;
    } else {
      const calls = await Promise.all(matching.map((rule) => link.countCall(rule.key)));
      for (let i = 0; i < matching.length && !winner; i++) {
        const rule = matching[i];
        // A rule loaded from an export counts on from where it stood.
        const done = rule.rule.progress;
        rule.calls = calls[i] + (done?.calls ?? 0);
        const times = rule.rule.times === undefined ? undefined : rule.rule.times - (done?.fired ?? 0);
        // `times` is checked where the fires are counted, so two processes cannot both fire the last one.
        if (rule.firesOn(rule.calls, now, 0) && (await link.fire(rule.key, times))) winner = rule;
      }
      if (winner) winner.fired++;
    }
    this.world.announce({ type: 'faults' });
    return winner;
  }

  /** A shared world: the counters as every process counted them, for the view. */
  async syncCounters(): Promise<void> {
    if (!this.world.link) return;
    const counters = await this.world.link.counters();
    for (const rule of this.rules) {
      rule.calls = (rule.rule.progress?.calls ?? 0) + (counters[`${rule.key}:calls`] ?? 0);
      rule.fired = (rule.rule.progress?.fired ?? 0) + (counters[`${rule.key}:fired`] ?? 0);
    }
  }

  view(): ScenarioView {
    return {
      active: this.layers.map((l) => ({ name: l.name, description: l.scenario.description, source: l.source })),
      policy: { ...(this.world.overrides.platforms ?? {}) },
      faults: this.rules.map(faultView),
    };
  }

  private async activate(layer: Layer): Promise<void> {
    const s: Scenario = layer.scenario;
    if (s.clock) this.applyClock(s.clock);
    if (s.random && this.world.random instanceof ReplayableRandom) this.world.random.reseed(s.random.seed, s.random.draws ?? 0);
    if (s.state) await seedState(this.world, s.state);
    this.compile(layer);
  }

  /** The layer's rules, counting from its activation (or from where an export left them). */
  private compile(layer: Layer): void {
    layer.activatedAt ??= this.world.clock.now();
    const at = layer.activatedAt;
    layer.rules = (layer.scenario.faults ?? []).map((rule, i) => new CompiledRule(rule, layer.name, i, at, this.world.random.seed, `${layer.uid}#${i}`));
  }

  private applyClock(c: NonNullable<Scenario['clock']>): void {
    const clock = this.world.clock;
    this.world.moveClock({ rate: c.rate, set: clockTarget(c, clock.hostNow()) });
  }

  /** Scenarios that moved the clock take their time with them when they go. */
  private drop(layers: readonly Layer[]): void {
    if (layers.some((l) => l.scenario.clock)) this.world.moveClock({ reset: true });
  }

  /** Recount the rules after layers changed; every change of them is announced (and shared, unless it came from elsewhere). */
  private reorder(share = true): void {
    let total = 0;
    let armed = 0;
    for (const l of this.layers) {
      total += l.rules.length;
      if (l.source === 'runtime') armed++;
    }
    this.ruleTotal = total;
    this.armedTotal = armed;
    if (share) this.shareLayers();
    this.world.announce({ type: 'scenario' });
  }

  /** Hand the layers to the other processes of a shared world (nothing to do in one process). */
  private shareLayers(): void {
    if (this.world.link) this.world.share({ layers: this.layers.map(({ rules: _r, ...shared }) => shared) });
  }
}

/** A rule as views and the control plane show it: the rule without its export-only progress, with its counters. */
export function faultView(r: CompiledRule): FaultView {
  const { progress: _p, ...rule } = r.rule;
  return { ...rule, id: r.label, scenario: r.scenario, calls: r.calls, fired: r.fired };
}
