import { compareJson } from '../../src/compare/json-shape.js';

/**
 * A message that quotes the platform's clock (ZJRC's stale-timestamp refusal) is read by the real platform and by
 * the sandbox milliseconds apart, sometimes across a second's boundary: that is not a difference.
 */
const stale = (now: string) => `时间戳已过期: 2026-12-07 15:12:29 is more than 120 s away from the platform time ${now}`;

test('readings a second apart across a boundary are the same moment', () => {
  expect(compareJson({ msg: stale('2026-12-07 15:15:00') }, { msg: stale('2026-12-07 15:14:59') })).toEqual([]);
  expect(compareJson({ msg: stale('2026-12-07 00:00:00') }, { msg: stale('2026-12-06 23:59:58') })).toEqual([]);
});

test('readings further apart, or another text around them, are a difference', () => {
  expect(compareJson({ msg: stale('2026-12-07 15:15:00') }, { msg: stale('2026-12-07 15:14:57') })).toEqual([
    {
      path: '$.msg',
      real: JSON.stringify(stale('2026-12-07 15:15:00')),
      sandbox: JSON.stringify(stale('2026-12-07 15:14:57')),
      about: 'value',
      realValue: stale('2026-12-07 15:15:00'),
    },
  ]);
  expect(compareJson({ msg: stale('2026-12-07 15:15:00') }, { msg: `过期 ${stale('2026-12-07 15:15:00')}` })).toHaveLength(1);
  expect(compareJson({ msg: 'at 2026-12-07 15:15:00' }, { msg: 'at 2026-12-07 15:15:00 and 2026-12-07 15:15:01' })).toHaveLength(1);
});
