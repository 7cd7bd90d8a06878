import { Clock } from '../../src/core/time/clock.js';

/** A host clock that moves one millisecond on every read, like a busy machine between two calls. */
function tickingHost(start = 1_000_000) {
  let t = start;
  return () => t++;
}

describe('Clock', () => {
  test('apply({set, rate: 0}) freezes exactly at the instant asked for, however the host clock moves', () => {
    const clock = new Clock(tickingHost());
    const at = Date.parse('2026-01-01T00:00:00Z');
    expect(clock.apply({ set: at, rate: 0 })).toBe(at);
    expect(clock.now()).toBe(at);
    expect(clock.now()).toBe(at);
  });

  test('apply advances after setting, and reset returns to host time at real speed', () => {
    const host = tickingHost(5_000);
    const clock = new Clock(host);
    expect(clock.apply({ set: 0, rate: 0, advance: 3_600_000 })).toBe(3_600_000);
    clock.apply({ reset: true });
    expect(clock.rate).toBe(1);
    expect(clock.offsetMs()).toBeLessThanOrEqual(1);
  });

  test('a rate change keeps the current sandbox time and scales only what follows', () => {
    let host = 0;
    const clock = new Clock(() => host);
    clock.set(10_000);
    clock.setRate(60);
    host += 1_000;
    expect(clock.now()).toBe(10_000 + 60_000);
    clock.setRate(0);
    host += 1_000;
    expect(clock.now()).toBe(70_000);
  });
});
