import { isAbsolute } from 'node:path';
import type { Interceptor } from '../http/dispatcher.js';
import type { AnyPlatform } from '../platform.js';
import { LoadError } from '../validation.js';
import type { World } from '../world.js';
import { exportScenario, type ExportOptions } from './export.js';
import { applyFault, type CompiledRule } from './faults.js';
import { ScenarioLibrary, type LoadedScenario, type ScenarioRef } from './loader.js';
import { ScenarioRuntime, type Layer, type ScenarioView } from './runtime.js';
import type { FaultRule, Scenario } from './schema.js';

export interface UseOptions {
  /** Lay the scenarios over the active ones instead of replacing them. */
  add?: boolean;
  /** Accept file paths (command line, in-process API); the control plane passes false. */
  allowPaths?: boolean;
  /** How validation errors name an inline scenario. */
  label?: string;
}

/**
 * The scenario engine: the library of scenario files, the scenarios active in each world, and the
 * interceptor that lets their fault rules shape answers. Each world (the default one and every
 * session) has its own runtime, so counters, clocks and policies never leak between sessions.
 */
export class ScenarioEngine {
  readonly library: ScenarioLibrary;
  private readonly runtimes = new WeakMap<World, ScenarioRuntime>();
  private readonly platformIds: string[];

  constructor(platforms: readonly AnyPlatform[], scenarioDirs: readonly string[] = [], builtin = true) {
    this.library = new ScenarioLibrary(platforms, scenarioDirs, builtin);
    this.platformIds = platforms.map((p) => p.id);
  }

  runtime(world: World): ScenarioRuntime {
    let rt = this.runtimes.get(world);
    if (!rt) this.runtimes.set(world, (rt = new ScenarioRuntime(world, this.platformIds)));
    return rt;
  }

  /** Resolve every reference first, so one bad scenario leaves the world as it was. */
  load(refs: readonly ScenarioRef[], opts: UseOptions = {}): LoadedScenario[] {
    const loaded: LoadedScenario[] = [];
    const issues: LoadError['issues'] = [];
    refs.forEach((ref, i) => {
      try {
        loaded.push(this.library.resolve(ref, { allowPaths: opts.allowPaths ?? false, label: refs.length > 1 ? `${opts.label ?? 'inline scenario'} #${i + 1}` : opts.label }));
      } catch (e) {
        if (!(e instanceof LoadError) || refs.length === 1) throw e;
        issues.push(...e.issues);
      }
    });
    if (issues.length) throw new LoadError(issues);
    return loaded;
  }

  use(world: World, refs: readonly ScenarioRef[], opts: UseOptions = {}): ScenarioView {
    const rt = this.runtime(world);
    rt.use(this.load(refs, opts), opts.add ?? false);
    return rt.view();
  }

  clear(world: World): ScenarioView {
    const rt = this.runtime(world);
    rt.clear();
    return rt.view();
  }

  view(world: World): ScenarioView {
    return this.runtime(world).view();
  }

  /** Arm one rule alone (POST /__sandbox/faults); it is validated like a scenario holding just it. */
  arm(world: World, rule: unknown, label = 'fault rule'): CompiledRule {
    let single: FaultRule;
    try {
      single = this.library.validate({ faults: [rule] }, label).faults![0];
    } catch (e) {
      if (!(e instanceof LoadError)) throw e;
      throw new LoadError(e.issues.map((i) => ({ ...i, path: i.path.replace(/^faults(\[0\]\.?)?/, '') })));
    }
    return this.runtime(world).arm(single, (r: FaultRule, id: string) => ({ name: `fault:${id}`, source: 'runtime', scenario: { faults: [r] } }));
  }

  disarm(world: World, id?: string): number {
    return this.runtime(world).disarm(id);
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
      const rt = this.runtimes.get(world);
      if (!rt) continue;
      const changed = new Map<Layer, LoadedScenario>();
      // Layers read from a file carry its absolute path as their source; built-in, inline and armed ones do not.
      for (const layer of rt.active.filter((l) => isAbsolute(l.source))) {
        let loaded = read.get(layer.source);
        if (!loaded && !issues.some((i) => i.file === layer.source)) {
          try {
            read.set(layer.source, (loaded = this.library.fromFile(layer.source)));
          } catch (e) {
            if (!(e instanceof LoadError)) throw e;
            issues.push(...e.issues);
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

  /** After World.reset(): the active scenarios start over. */
  reapply(world: World): void {
    this.runtimes.get(world)?.reapply();
  }

  export(world: World, opts: ExportOptions = {}): Scenario {
    return exportScenario(world, this.runtime(world), opts);
  }

  interceptor(): Interceptor {
    return (ex, next) => {
      const rt = this.runtimes.get(ex.world);
      if (!rt || rt.rules.length === 0) return next();
      const rule = rt.decide(ex);
      return rule ? applyFault(rule, ex, next) : next();
    };
  }
}
