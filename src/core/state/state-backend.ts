/**
 * Where a world's platform data lives (device states, next validate codes): JSON per platform, read
 * whole and changed by a function, so a shared store can apply a change atomically (it runs the
 * function again on the fresh data when another process changed it in between).
 */
export interface StateBackend {
  read(platform: string): Promise<unknown>;
  update<T>(platform: string, change: (state: unknown) => T): Promise<T>;
  /** Lay data over the current one, platform by platform (a seeded scenario, a saved world). */
  load(state: Record<string, unknown>): Promise<void>;
  /** Every platform's data (export, persistence). */
  all(): Promise<Record<string, unknown>>;
  /** Replace everything (reset to the fixtures' initial data). */
  replace(state: Record<string, unknown>): Promise<void>;
}

/** Platform data in this process's memory: a change runs at once, so it is atomic. */
export class MemoryState implements StateBackend {
  constructor(private value: Record<string, unknown>) {}

  async read(platform: string): Promise<unknown> {
    return this.value[platform];
  }

  async update<T>(platform: string, change: (state: unknown) => T): Promise<T> {
    return change(this.value[platform]);
  }

  async load(state: Record<string, unknown>): Promise<void> {
    this.value = { ...this.value, ...state };
  }

  async all(): Promise<Record<string, unknown>> {
    return this.value;
  }

  async replace(state: Record<string, unknown>): Promise<void> {
    this.value = state;
  }

  /** For persistence, which writes memory worlds only. */
  get snapshot(): Record<string, unknown> {
    return this.value;
  }
}
