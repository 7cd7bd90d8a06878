import { isAbsolute } from 'node:path';
import type { Interceptor } from '../http/exchange.js';
import type { AnyPlatform } from '../platform.js';
import { LoadError } from '../validation/load-error.js';
import type { World } from '../world.js';
import { activationIssues } from './activation.js';
import { applyFault, type CompiledRule } from './faults.js';
import { ScenarioLibrary, type LoadedScenario, type ScenarioRef } from './loader.js';
import type { Layer, ScenarioRuntime, ScenarioView } from './runtime.js';
import type { FaultRule } from './fault-rule-schema.js';

export interface UseOptions {
  /** Lay the scenarios over the active ones instead of replacing them. */
  add?: boolean;
  /** Accept file paths (command line, in-process API); the control plane passes false. */
  allowPaths?: boolean;
  /** How validation errors name an inline scenario. */
  label?: string;
}

/**
 * The scenario engine: the library of scenario files, and the interceptor that lets the fault rules
 * active in a world shape its answers. Each world (the default one and every session) keeps its own
 * scenario runtime, so counters, clocks and policies never leak between sessions.
 */
export class ScenarioEngine {
  readonly library: ScenarioLibrary;

  constructor(platforms: readonly AnyPlatform[], scenarioDirs: readonly string[] = [], builtin = true) {
    this.library = new ScenarioLibrary(platforms, scenarioDirs, builtin);
  }

  /** Resolve every reference first, so one bad scenario leaves the world as it was. */
  load(refs: readonly ScenarioRef[], opts: UseOptions = {}): LoadedScenario[] {
    const loaded: LoadedScenario[] = [];
    const issues: LoadError['issues'] = [];
    refs.forEach((ref, i) => {
      try {
        loaded.push(this.library.resolve(ref, { allowPaths: opts.allowPaths ?? false, label: inlineLabel(refs.length, i, opts.label) }));
      } catch (e) {
        if (!(e instanceof LoadError) || refs.length === 1) throw e;
        for (const issue of e.issues) issues.push(issue);
      }
    });
    if (issues.length) throw new LoadError(issues);
    return loaded;
  }

  /** Activate scenarios in a world; one that would take time out of range (a relative instant, say) changes nothing. */
  async use(world: World, refs: readonly ScenarioRef[], opts: UseOptions = {}): Promise<ScenarioView> {
    const loaded = this.load(refs, opts);
    const labelOf = (i: number) =>
      loaded[i].source === 'inline'
        ? (inlineLabel(refs.length, i, opts.label) ?? 'inline scenario')
        : loaded[i].source === 'builtin'
          ? loaded[i].name
          : loaded[i].source;
    const issues = activationIssues(world, loaded, opts.add ?? false, labelOf);
    if (issues.length) throw new LoadError(issues);
    await world.scenarios.use(loaded, opts.add ?? false);
    return world.scenarios.view();
  }

  /** A fault rule validated like a scenario holding just it, with paths that name the rule itself. */
  validateRule(rule: unknown, label = 'fault rule'): FaultRule {
    try {
      return this.library.validate({ faults: [rule] }, label).faults![0];
    } catch (e) {
      if (!(e instanceof LoadError)) throw e;
      throw new LoadError(e.issues.map((i) => ({ ...i, path: i.path.replace(/^faults(\[0\]\.?)?/, '') })));
    }
  }

  /** Arm one rule alone (POST /__sandbox/faults). */
  arm(world: World, rule: unknown, label = 'fault rule'): CompiledRule {
    const single = this.validateRule(rule, label);
    return world.scenarios.arm(single, (r: FaultRule, id: string) => ({ name: `fault:${id}`, source: 'runtime', scenario: { faults: [r] } }));
  }

  /**
   * Watch mode: re-read the files behind the scenarios active in these worlds. Every file is read and
   * validated before any world changes, so a bad edit throws a LoadError and leaves them all as they
   * were. Only layers whose file now says something else are refreshed. Returns the files re-read.
   */
  reloadFiles(worlds: readonly World[]): string[] {
    const read = new Map<string, LoadedScenario>();
    const issues: LoadError['issues'] = [];
    const plans: [ScenarioRuntime, Map<Layer, LoadedScenario>][] = [];
    for (const world of worlds) {
      const rt = world.scenarios;
      const changed = new Map<Layer, LoadedScenario>();
      // Layers read from a file carry its absolute path as their source; built-in, inline and armed ones do not.
      for (const layer of rt.active.filter((l) => isAbsolute(l.source))) {
        let loaded = read.get(layer.source);
        if (!loaded && !issues.some((i) => i.file === layer.source)) {
          try {
            read.set(layer.source, (loaded = this.library.fromFile(layer.source)));
          } catch (e) {
            if (!(e instanceof LoadError)) throw e;
            for (const issue of e.issues) issues.push(issue);
          }
        }
        if (loaded && JSON.stringify(loaded.scenario) !== JSON.stringify(layer.scenario)) changed.set(layer, loaded);
      }
      plans.push([rt, changed]);
    }
    if (issues.length) throw new LoadError(issues);
    for (const [rt, changed] of plans) rt.refresh(changed);
    return [...read.keys()];
  }

  /** The fault rules of the request's world; the dispatcher does not enter it in a world without any. */
  interceptor(): Interceptor {
    const intercept: Interceptor = async (ex, next) => {
      const rt = ex.world.scenarios;
      if (rt.ruleCount === 0) return next();
      const rule = await rt.decide(ex);
      return rule ? applyFault(rule, ex, next) : next();
    };
    intercept.engaged = (world) => world.scenarios.ruleCount > 0;
    return intercept;
  }
}

/** How validation errors name an inline scenario: the label, numbered when there are several. */
const inlineLabel = (count: number, i: number, label: string | undefined): string | undefined =>
  count > 1 ? `${label ?? 'inline scenario'} #${i + 1}` : label;
