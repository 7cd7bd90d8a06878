import type { MaybePromise } from './maybe-async.js';

/**
 * Where a world's platform data lives (device states, next validate codes): JSON per platform, read
 * whole and changed by a function, so a shared store can apply a change atomically (it runs the
 * function again on the fresh data when another process changed it in between).
 */
export interface StateBackend {
  read(platform: string): MaybePromise<unknown>;
  update<T>(platform: string, change: (state: unknown) => T): MaybePromise<T>;
  /** Lay data over the current one, platform by platform (a seeded scenario, a saved world). */
  load(state: Record<string, unknown>): MaybePromise<void>;
  /** Every platform's data (export, persistence). */
  all(): MaybePromise<Record<string, unknown>>;
  /** Replace everything (reset to the fixtures' initial data). */
  replace(state: Record<string, unknown>): MaybePromise<void>;
}

/** Platform data in this process's memory: a change runs at once, so it is atomic, and every answer is synchronous. */
export class MemoryState implements StateBackend {
  constructor(private value: Record<string, unknown>) {}

  read(platform: string): unknown {
    return this.value[platform];
  }

  update<T>(platform: string, change: (state: unknown) => T): T {
    return change(this.value[platform]);
  }

  load(state: Record<string, unknown>): void {
    this.value = { ...this.value, ...state };
  }

  all(): Record<string, unknown> {
    return this.value;
  }

  replace(state: Record<string, unknown>): void {
    this.value = state;
  }

  /** For persistence, which writes memory worlds only. */
  get snapshot(): Record<string, unknown> {
    return this.value;
  }
}
