import { formatLocal } from './local-time.js';

/** The platforms' own time zone name when they run at UTC+8, else the bare offset. */
export function zoneName(utcOffsetMinutes: number): string {
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  const offset = `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
  return utcOffsetMinutes === 480 ? `Asia/Shanghai, ${offset}` : offset;
}

function span(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 1) return `${Math.round(Math.abs(ms) / 1000)} s`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h${m ? ` ${m} min` : ''}` : `${m} min`;
}

export interface WindowOptions {
  toleranceSeconds: number;
  /** The platform's local time, minutes east of UTC. */
  utcOffsetMinutes: number;
  /** Only a timestamp too old is refused (SOP lets future ones pass). */
  pastOnly?: boolean;
}

/**
 * Is a signed request's timestamp close enough to the sandbox clock? When it is not, the answer stays
 * the platform's own, but the note says by how much it was off and, when the gap is close to a whole
 * number of hours, that the client most likely stamped its own time zone instead of the platform's.
 */
export function checkTimestampWindow(sentMs: number, nowMs: number, opts: WindowOptions): { ok: true } | { ok: false; note: string } {
  const tolerance = opts.toleranceSeconds * 1000;
  const offBy = sentMs - nowMs;
  if (opts.toleranceSeconds <= 0 || (opts.pastOnly ? offBy >= -tolerance : Math.abs(offBy) <= tolerance)) return { ok: true };
  const zone = zoneName(opts.utcOffsetMinutes);
  const platformTime = formatLocal(nowMs, opts.utcOffsetMinutes);
  let note = `timestamp ${span(offBy)} ${offBy < 0 ? 'behind' : 'ahead of'} the platform time ${platformTime} (${zone}); the window is ${opts.toleranceSeconds} s`;
  const hours = Math.round(offBy / 3_600_000);
  if (hours !== 0 && Math.abs(hours) <= 14 && Math.abs(offBy - hours * 3_600_000) <= Math.max(tolerance, 60_000)) {
    const clientOffset = opts.utcOffsetMinutes + hours * 60;
    note +=
      `. The gap is ${Math.abs(hours)} h: the client most likely formatted its own time zone (${zoneName(clientOffset).replace('Asia/Shanghai, ', '')}) instead of the platform's. ` +
      `The real platform would refuse it too: format the timestamp in ${zone} (Java: ZoneId.of("Asia/Shanghai"); Node: TZ=Asia/Shanghai)`;
  }
  return { ok: false, note };
}

/** The note for a timestamp that does not parse at all. */
export function unreadableTimestampNote(sent: string | undefined, layout: string): string {
  return sent ? `timestamp ${JSON.stringify(sent)} is not in the platform's layout ${layout}` : 'the request carries no timestamp';
}
