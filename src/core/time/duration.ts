/** Parses the durations people type: "3601s", "1h", "30m", "1d", "250ms", "1h30m", or a number of seconds. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return finite(Math.round(input * 1000));
  const text = input.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return finite(Math.round(Number(text) * 1000));
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  if (body === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = PART.exec(body); m; m = PART.exec(body)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    consumed = PART.lastIndex;
  }
  if (consumed !== body.length) return undefined;
  return finite(Math.round(negative ? -total : total));
}

/** A duration too long for a number (1e309 seconds) is no duration: callers never see Infinity. */
const finite = (ms: number): number | undefined => (Number.isFinite(ms) ? ms : undefined);

export const DURATION_HINT = 'a duration such as "3601s", "30m", "1h", "1d", "1h30m" or a number of seconds';
