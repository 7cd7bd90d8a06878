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

/** How to stamp a platform's local time in the clients' languages; only Asia/Shanghai has a zone id to name. */
function fixFor(utcOffsetMinutes: number, zone: string): string {
  if (utcOffsetMinutes !== 480) return `format the timestamp at ${zone} whatever the client machine's time zone`;
  return (
    `format the timestamp in Asia/Shanghai whatever the client machine's time zone ` +
    `(Java: LocalDateTime.now(ZoneId.of("Asia/Shanghai")); Python: datetime.now(ZoneInfo("Asia/Shanghai")); Node: moment().utcOffset(480) or TZ=Asia/Shanghai; ` +
    `or run the client with TZ=Asia/Shanghai)`
  );
}

/**
 * Is a signed request's timestamp close enough to the sandbox clock? When it is not, the answer stays
 * the platform's own, but the note (journal, log line, dashboard) says by how much it was off and, when
 * the gap is close to a whole number of hours, that the client most likely stamped its own time zone
 * instead of the platform's, and how to fix it: public clients stamp the machine's local time, so a
 * client on a CI runner in UTC is 8 hours behind Asia/Shanghai.
 */
export function checkTimestampWindow(sentMs: number, nowMs: number, opts: WindowOptions): { ok: true } | { ok: false; note: string } {
  const tolerance = opts.toleranceSeconds * 1000;
  const offBy = sentMs - nowMs;
  if (opts.toleranceSeconds <= 0 || (opts.pastOnly ? offBy >= -tolerance : Math.abs(offBy) <= tolerance)) return { ok: true };
  const zone = zoneName(opts.utcOffsetMinutes);
  const platformTime = formatLocal(nowMs, opts.utcOffsetMinutes);
  const window = opts.pastOnly ? `at most ${opts.toleranceSeconds} s old` : `within ${opts.toleranceSeconds} s either way`;
  let note = `timestamp ${span(offBy)} ${offBy < 0 ? 'behind' : 'ahead of'} the platform time ${platformTime} (${zone}); it must be ${window}`;
  const hours = Math.round(offBy / 3_600_000);
  const clientOffset = opts.utcOffsetMinutes + hours * 60;
  // A whole number of hours that lands on a real time zone (UTC−12 … UTC+14) is a time-zone mistake, not a slow clock.
  if (hours !== 0 && clientOffset >= -720 && clientOffset <= 840 && Math.abs(offBy - hours * 3_600_000) <= Math.max(tolerance, 60_000)) {
    const clientZone = zoneName(clientOffset).replace('Asia/Shanghai, ', '');
    const ci = clientZone === 'UTC+0' ? ', e.g. a CI runner or container in UTC' : '';
    note +=
      `. The gap is a whole ${Math.abs(hours)} h: the client most likely stamped its own time zone (${clientZone}${ci}) instead of the platform's. ` +
      `The real platform refuses it too: ${fixFor(opts.utcOffsetMinutes, zone)}`;
  }
  return { ok: false, note };
}

/** The note for a timestamp that does not parse at all. */
export function unreadableTimestampNote(sent: string | undefined, layout: string): string {
  return sent ? `timestamp ${JSON.stringify(sent)} is not in the platform's layout ${layout}` : 'the request carries no timestamp';
}
