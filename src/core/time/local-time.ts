/**
 * Wall-clock text in a fixed UTC offset (minutes east of UTC; Asia/Shanghai = 480), the way the
 * platforms write request timestamps. One place for the arithmetic and the "is this a real date"
 * check; each platform names its own layout.
 */
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `yyyy-MM-dd HH:mm:ss`, or `yyyyMMddHHmmss` when `compact`. */
export function formatLocal(epochMs: number, utcOffsetMinutes: number, compact = false): string {
  const d = new Date(epochMs + utcOffsetMinutes * 60_000);
  const date = [pad(d.getUTCFullYear(), 4), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())];
  const time = [pad(d.getUTCHours()), pad(d.getUTCMinutes()), pad(d.getUTCSeconds())];
  return compact ? date.join('') + time.join('') : `${date.join('-')} ${time.join(':')}`;
}

const DASHED = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** Inverse of formatLocal; undefined unless the text has that exact layout and names a real instant. */
export function parseLocal(text: string, utcOffsetMinutes: number, compact = false): number | undefined {
  const m = (compact ? COMPACT : DASHED).exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  // Date.UTC rolls 2026-02-30 over into March: a date that moved does not exist.
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return utc - utcOffsetMinutes * 60_000;
}
