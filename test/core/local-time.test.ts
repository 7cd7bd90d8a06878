import { formatLocal, parseLocal } from '../../src/core/time/local-time.js';

const AT = Date.parse('2026-02-28T16:05:09Z'); // 2026-03-01 00:05:09 in Shanghai

describe('local wall-clock text at a fixed UTC offset', () => {
  test('both layouts, and back', () => {
    expect(formatLocal(AT, 480)).toBe('2026-03-01 00:05:09');
    expect(formatLocal(AT, 480, true)).toBe('20260301000509');
    expect(formatLocal(AT, 0)).toBe('2026-02-28 16:05:09');
    expect(parseLocal('2026-03-01 00:05:09', 480)).toBe(AT);
    expect(parseLocal('20260301000509', 480, true)).toBe(AT);
  });

  test.each(['2026-02-30 00:00:00', '2026-13-01 00:00:00', '2026-03-01 24:00:00', '2026-03-01 00:60:00', '2026-03-01T00:05:09', '2026-3-1 0:5:9', ''])(
    '%j is not a real instant in that layout',
    (text) => {
      expect(parseLocal(text, 480)).toBeUndefined();
    },
  );

  test('each layout only parses its own', () => {
    expect(parseLocal('20260301000509', 480)).toBeUndefined();
    expect(parseLocal('2026-03-01 00:05:09', 480, true)).toBeUndefined();
  });
});
