import { tokenState, type TokenRecord } from '../core/state/token-record.js';
import type { World } from '../core/world.js';

/** The clock as the control plane and the dashboard show it. */
export function clockView(world: World) {
  const now = world.clock.now();
  return { now: new Date(now).toISOString(), epochMs: now, rate: world.clock.rate, offsetMs: world.clock.offsetMs() };
}

export type ClockView = ReturnType<typeof clockView>;

/** A record with its state and the seconds it has left, by the sandbox clock. */
export function tokenView(rec: TokenRecord, now: number) {
  return { ...rec, state: tokenState(rec, now), expiresInSeconds: rec.expiresAt === null ? null : Math.round((rec.expiresAt - now) / 1000) };
}

export type TokenView = ReturnType<typeof tokenView>;

/** What is active in a world: scenarios, composed policy, fault rules with their counters, and the clock. */
export function scenarioView(world: World) {
  return { ...world.scenarios.view(), clock: clockView(world) };
}
