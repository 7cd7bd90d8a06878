/**
 * The sandbox's virtual clock. Domain code asks it for the time so that tests can move time
 * forward (or run it faster) without waiting. It is the only place that reads the host clock.
 */
export interface ClockSnapshot {
  /** Sandbox time in epoch milliseconds at the moment of the snapshot. */
  now: number;
  /** How many sandbox milliseconds pass per host millisecond (1 = real time, 0 = frozen). */
  rate: number;
}

/** Several moves as one step, applied in a fixed order (reset, rate, set, advance). */
export interface ClockChange {
  reset?: boolean;
  rate?: number;
  set?: number;
  advance?: number;
}

/** What another process needs to read the same sandbox time: the anchors and the rate. */
export interface ClockState {
  anchorHost: number;
  anchorVirtual: number;
  rate: number;
}

export class Clock {
  private anchorHost: number;
  private anchorVirtual: number;
  private rateValue = 1;

  constructor(private readonly host: () => number = Date.now) {
    this.anchorHost = host();
    this.anchorVirtual = this.anchorHost;
  }

  now(): number {
    if (this.rateValue === 1) return this.anchorVirtual + (this.host() - this.anchorHost);
    return this.anchorVirtual + Math.round((this.host() - this.anchorHost) * this.rateValue);
  }

  /** Sandbox time in whole seconds, the unit every lifetime is expressed in. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  advance(ms: number): number {
    this.reanchor();
    this.anchorVirtual += ms;
    return this.now();
  }

  set(epochMs: number): number {
    this.anchorHost = this.host();
    this.anchorVirtual = epochMs;
    return this.now();
  }

  /**
   * Several moves as one step. The order is fixed (reset, rate, set, advance) because a rate
   * change re-anchors on the host clock: setting the rate after `set` would let the host
   * milliseconds between the two calls leak into a clock that was meant to freeze at `set`.
   */
  apply(change: ClockChange): number {
    if (change.reset) this.reset();
    if (change.rate !== undefined) this.setRate(change.rate);
    if (change.set !== undefined) this.set(change.set);
    if (change.advance !== undefined) this.advance(change.advance);
    return this.now();
  }

  get rate(): number {
    return this.rateValue;
  }

  setRate(rate: number): void {
    this.reanchor();
    this.rateValue = rate;
  }

  /** Back to host time at real speed. */
  reset(): void {
    this.anchorHost = this.host();
    this.anchorVirtual = this.anchorHost;
    this.rateValue = 1;
  }

  snapshot(): ClockSnapshot {
    return { now: this.now(), rate: this.rateValue };
  }

  state(): ClockState {
    return { anchorHost: this.anchorHost, anchorVirtual: this.anchorVirtual, rate: this.rateValue };
  }

  /** Read the time another process set (host clocks are assumed in step, as NTP keeps them). */
  adopt(state: ClockState): void {
    this.anchorHost = state.anchorHost;
    this.anchorVirtual = state.anchorVirtual;
    this.rateValue = state.rate;
  }

  /** Offset from the host clock, which is what survives a restart with --db. */
  offsetMs(): number {
    return this.now() - this.host();
  }

  restoreOffset(offsetMs: number, rate = 1): void {
    this.anchorHost = this.host();
    this.anchorVirtual = this.anchorHost + offsetMs;
    this.rateValue = rate;
  }

  private reanchor(): void {
    const virtual = this.now();
    this.anchorHost = this.host();
    this.anchorVirtual = virtual;
  }
}
