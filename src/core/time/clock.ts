/**
 * The sandbox's virtual clock. Domain code asks it for the time so that tests can move time
 * forward (or run it faster) without waiting. It is the only place that reads the host clock.
 *
 * Sandbox time stays within TIME_MIN..TIME_MAX whatever is asked of it: a move that would leave the
 * range is refused as a whole (nothing changes), and a fast clock stops at TIME_MAX instead of
 * running past it. With lifetimes capped at MAX_LIFETIME_SECONDS, every expiry derived from it
 * stays a date that Date, ISO-8601 and the platforms' four-digit-year layouts can all hold.
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

/** The earliest sandbox time: 1970-01-01T00:00:00.000Z. */
export const TIME_MIN = 0;
/** The latest sandbox time: 9000-01-01T00:00:00.000Z (tokens issued then still expire in a four-digit year). */
export const TIME_MAX = Date.UTC(9000, 0, 1);
/** The fastest clock: a million sandbox seconds per host second (11.6 days per second). */
export const MAX_RATE = 1_000_000;
/** The longest lifetime, grace or reuse window: 100 years of 365 days, in seconds. */
export const MAX_LIFETIME_SECONDS = 100 * 365 * 86_400;
/** The latest expiry a token can have: issued at TIME_MAX with the longest lifetime (year 9100). */
export const LATEST_EXPIRY = TIME_MAX + MAX_LIFETIME_SECONDS * 1000;
/** The widest move one step can make: the whole range. */
export const MAX_SPAN_MS = TIME_MAX - TIME_MIN;

/** "between 1970-01-01T00:00:00.000Z and 9000-01-01T00:00:00.000Z", for messages. */
export const TIME_RANGE = `between ${new Date(TIME_MIN).toISOString()} and ${new Date(TIME_MAX).toISOString()}`;

export function inTimeRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= TIME_MIN && ms <= TIME_MAX;
}

/** An instant as a person reads it, even one no Date can hold. */
export function describeInstant(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms from 1970 (beyond what a date can hold)`;
}

/** A clock move that would take sandbox time out of its range; nothing was changed. */
export class TimeRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'TimeRangeError';
  }
}

/** What another process needs to read the same sandbox time: the anchors and the rate. */
export interface ClockState {
  anchorHost: number;
  anchorVirtual: number;
  rate: number;
}

interface Anchors {
  host: number;
  virtual: number;
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
    return nowOf({ host: this.anchorHost, virtual: this.anchorVirtual, rate: this.rateValue }, this.host());
  }

  /** Sandbox time in whole seconds, the unit every lifetime is expressed in. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  advance(ms: number): number {
    return this.apply({ advance: ms });
  }

  set(epochMs: number): number {
    return this.apply({ set: epochMs });
  }

  /**
   * Several moves as one step. The order is fixed (reset, rate, set, advance) because a rate
   * change re-anchors on the host clock: setting the rate after `set` would let the host
   * milliseconds between the two calls leak into a clock that was meant to freeze at `set`.
   * Every move is checked before any applies: a TimeRangeError leaves the clock as it was.
   */
  apply(change: ClockChange): number {
    const host = this.host();
    let a: Anchors = { host: this.anchorHost, virtual: this.anchorVirtual, rate: this.rateValue };
    if (change.reset) a = { host, virtual: host, rate: 1 };
    if (change.rate !== undefined) {
      if (!(Number.isFinite(change.rate) && change.rate >= 0 && change.rate <= MAX_RATE)) {
        throw new TimeRangeError(`"rate" must be a number from 0 to ${MAX_RATE}, got ${change.rate}. Nothing changed.`);
      }
      a = { host, virtual: nowOf(a, host), rate: change.rate };
    }
    if (change.set !== undefined) {
      if (!inTimeRange(change.set))
        throw new TimeRangeError(`"set" asks for ${describeInstant(change.set)}; the sandbox clock stays ${TIME_RANGE}. Nothing changed.`);
      a = { host, virtual: change.set, rate: a.rate };
    }
    if (change.advance !== undefined) {
      const to = nowOf(a, host) + change.advance;
      if (!inTimeRange(to))
        throw new TimeRangeError(`"advance" would move the sandbox clock to ${describeInstant(to)}; it stays ${TIME_RANGE}. Nothing changed.`);
      a = { host, virtual: to, rate: a.rate };
    }
    this.anchorHost = a.host;
    this.anchorVirtual = a.virtual;
    this.rateValue = a.rate;
    return this.now();
  }

  get rate(): number {
    return this.rateValue;
  }

  setRate(rate: number): void {
    this.apply({ rate });
  }

  /** Back to host time at real speed. */
  reset(): void {
    this.apply({ reset: true });
  }

  snapshot(): ClockSnapshot {
    return { now: this.now(), rate: this.rateValue };
  }

  state(): ClockState {
    return { anchorHost: this.anchorHost, anchorVirtual: this.anchorVirtual, rate: this.rateValue };
  }

  /**
   * Read the time another process set (host clocks are assumed in step, as NTP keeps them). Held to
   * the same range as any move: a state out of it (a hand-edited store) is refused as a whole.
   */
  adopt(state: ClockState): void {
    const { anchorHost, anchorVirtual, rate } = state;
    if (!(Number.isFinite(rate) && rate >= 0 && rate <= MAX_RATE))
      throw new TimeRangeError(`the shared clock's rate ${rate} is not a number from 0 to ${MAX_RATE}`);
    if (!Number.isFinite(anchorHost) || !inTimeRange(anchorVirtual))
      throw new TimeRangeError(`the shared clock's anchors (${anchorHost}, ${anchorVirtual}) put sandbox time outside the range ${TIME_RANGE}`);
    this.anchorHost = anchorHost;
    this.anchorVirtual = anchorVirtual;
    this.rateValue = rate;
  }

  /** Host time, read through the host this clock was given (a test's fake host included). */
  hostNow(): number {
    return this.host();
  }

  /** Offset from the host clock, which is what survives a restart with --db. */
  offsetMs(): number {
    return this.offsetReading().offsetMs;
  }

  /**
   * The offset with the host reading it was taken against, from one reading: a clock standing at the end of
   * its range is in range at that reading and a millisecond past it at the next.
   */
  offsetReading(): { offsetMs: number; hostMs: number } {
    const hostMs = this.host();
    return { offsetMs: nowOf({ host: this.anchorHost, virtual: this.anchorVirtual, rate: this.rateValue }, hostMs) - hostMs, hostMs };
  }

  /** A saved clock (`--db`): refused as a whole, with a TimeRangeError, when it leaves the range. */
  restoreOffset(offsetMs: number, rate = 1): void {
    if (!(Number.isFinite(rate) && rate >= 0 && rate <= MAX_RATE)) throw new TimeRangeError(`the clock rate ${rate} is not a number from 0 to ${MAX_RATE}`);
    const host = this.host();
    const virtual = host + offsetMs;
    if (!inTimeRange(virtual))
      throw new TimeRangeError(`the clock offset ${offsetMs} ms puts sandbox time at ${describeInstant(virtual)}, outside the range ${TIME_RANGE}`);
    this.anchorHost = host;
    this.anchorVirtual = virtual;
    this.rateValue = rate;
  }
}

/** Sandbox time for these anchors at a host instant, held within the range (a fast clock stops at TIME_MAX). */
function nowOf(a: Anchors, host: number): number {
  const t = a.rate === 1 ? a.virtual + (host - a.host) : a.virtual + Math.round((host - a.host) * a.rate);
  return t > TIME_MAX ? TIME_MAX : t < TIME_MIN ? TIME_MIN : t;
}
