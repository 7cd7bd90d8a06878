import { inferTimestampRule, type TimestampJudge, type TimestampObservation } from '../../src/compare/timestamp-rule.js';
import { sopTimestamp } from '../../src/index.js';

/**
 * The window and zone compare infers from the timestamps a real platform accepted and refused, each read
 * against the exchange's recorded time. The judge is SOP's layout (yyyy-MM-dd HH:mm:ss); `pastOnly` as SOP.
 */

const AT = Date.parse('2026-12-07T06:00:00Z');
const judge = (pastOnly = false): TimestampJudge => ({ sent: () => undefined, compact: false, pastOnly, verdict: () => undefined });
const SHANGHAI = { toleranceSeconds: 300, utcOffsetMinutes: 480 };
const NO_WINDOW = { toleranceSeconds: 0, utcOffsetMinutes: 480 };

/** An exchange whose timestamp was stamped `ageSeconds` before it (in the zone given), judged as said. */
function seen(ageSeconds: number, real: 'accepted' | 'refused', sandbox: 'accepted' | 'refused', utcOffsetMinutes = 480): TimestampObservation {
  return { sent: sopTimestamp(AT - ageSeconds * 1000, utcOffsetMinutes), at: AT, real: { verdict: real }, sandbox: { verdict: sandbox } };
}

test('a refusal the sandbox let through: the widest usual window that still refuses it', () => {
  expect(inferTimestampRule(judge(), [seen(0, 'accepted', 'accepted'), seen(660, 'refused', 'accepted')], NO_WINDOW)).toEqual({ toleranceSeconds: 600 });
  expect(inferTimestampRule(judge(), [seen(240, 'accepted', 'accepted'), seen(1200, 'refused', 'accepted')], NO_WINDOW)).toEqual({ toleranceSeconds: 900 });
  // Between the bounds no usual window fits: the oldest accepted age itself.
  expect(inferTimestampRule(judge(), [seen(10, 'accepted', 'accepted'), seen(40, 'refused', 'accepted')], NO_WINDOW)).toEqual({ toleranceSeconds: 10 });
});

test('an acceptance the sandbox refused, with nothing refused: the narrowest usual window that admits it, none past a day', () => {
  expect(inferTimestampRule(judge(), [seen(420, 'accepted', 'refused')], SHANGHAI)).toEqual({ toleranceSeconds: 600 });
  expect(inferTimestampRule(judge(), [seen(39 * 86_400 + 77, 'accepted', 'refused')], SHANGHAI)).toEqual({ toleranceSeconds: 0 });
});

test('the sandbox’s rule already judges every timestamp so: nothing to change', () => {
  expect(inferTimestampRule(judge(), [seen(1, 'accepted', 'accepted'), seen(400, 'refused', 'refused')], SHANGHAI)).toEqual({});
  expect(inferTimestampRule(judge(), [seen(86_400, 'accepted', 'accepted')], NO_WINDOW)).toEqual({});
});

test('what no window explains (an older timestamp accepted than one refused): no setting', () => {
  expect(inferTimestampRule(judge(), [seen(600, 'accepted', 'refused'), seen(120, 'refused', 'accepted')], SHANGHAI)).toEqual({});
});

test('timestamps a whole number of hours off, accepted by the platform: its time zone, not a window', () => {
  const utc = [seen(0, 'accepted', 'refused', 0), seen(2, 'accepted', 'refused', 0)];
  expect(inferTimestampRule(judge(true), utc, SHANGHAI)).toEqual({ utcOffsetMinutes: 0 });
  const india = [seen(1, 'accepted', 'refused', 330)];
  expect(inferTimestampRule(judge(), india, SHANGHAI)).toEqual({ utcOffsetMinutes: 330 });
});

test('past only (SOP): a timestamp from the future is no evidence of a wider window', () => {
  expect(inferTimestampRule(judge(true), [seen(-3600, 'accepted', 'accepted'), seen(660, 'refused', 'accepted')], NO_WINDOW)).toEqual({
    toleranceSeconds: 600,
  });
});

test('a clock some minutes off is not a time zone, even on a quarter hour', () => {
  expect(inferTimestampRule(judge(true), [seen(900, 'accepted', 'refused')], SHANGHAI)).toEqual({ toleranceSeconds: 900 });
});
