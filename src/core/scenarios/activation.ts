import { inTimeRange } from '../time/clock.js';
import type { LoadIssue } from '../validation/load-error.js';
import type { World } from '../world.js';
import type { LoadedScenario } from './loader.js';
import type { Scenario } from './schema.js';
import { durationMs, instantMs, outOfRange } from './time.js';

/** Where a scenario's clock goes when it is activated: `start` (or host time), moved by `skew`; undefined when it names neither. */
export function clockTarget(c: NonNullable<Scenario['clock']>, hostNow: number): number | undefined {
  if (c.start === undefined && c.skew === undefined) return undefined;
  const base = c.start !== undefined ? instantMs(c.start, hostNow) : hostNow;
  return base + (c.skew !== undefined ? (durationMs(c.skew) ?? 0) : 0);
}

/**
 * What activating these scenarios would do to time, worked out before anything changes: the clock
 * each one sets, and every instant of its seeded tokens, some of which count from that clock ("-10m").
 * The schema holds absolute values to the sandbox's range; this holds the relative ones, so a
 * scenario that would put any of them out of range is refused whole (a LoadError naming the file
 * and the path), and the world stays as it was. Mirrors ScenarioRuntime.use: replacing the active
 * scenarios first takes away the time of those that moved the clock.
 */
export function activationIssues(world: World, scenarios: readonly LoadedScenario[], add: boolean, labelOf: (index: number) => string): LoadIssue[] {
  const issues: LoadIssue[] = [];
  const clock = world.clock;
  const hostNow = clock.hostNow();
  let now = !add && world.scenarios.active.some((l) => l.scenario.clock) ? hostNow : clock.now();
  scenarios.forEach((loaded, i) => {
    const s = loaded.scenario;
    const file = labelOf(i);
    const check = (path: string, ms: number): void => {
      if (!inTimeRange(ms)) issues.push({ file, path, message: `${outOfRange(ms)}; nothing was changed` });
    };
    const target = s.clock ? clockTarget(s.clock, hostNow) : undefined;
    if (target !== undefined) {
      check(s.clock?.skew !== undefined ? 'clock.skew' : 'clock.start', target);
      now = target;
    }
    s.state?.tokens?.forEach((t, j) => {
      const at = `state.tokens[${j}]`;
      const issuedAt = t.issuedAt === undefined ? now : instantMs(t.issuedAt, now);
      check(`${at}.issuedAt`, issuedAt);
      for (const key of ['expiresAt', 'usedAt', 'revokedAt', 'graceUntil'] as const) {
        const value = t[key];
        if (value !== undefined && value !== null) check(`${at}.${key}`, instantMs(value, now));
      }
    });
  });
  return issues;
}
