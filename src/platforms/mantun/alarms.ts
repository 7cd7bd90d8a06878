import { refuse } from './errors.js';
import type { MantunAlarm, MantunBox, MantunFixture } from './fixture.js';
import type { Params } from './request.js';
import { parseLocalDateTime } from './signing.js';

/**
 * Alarm type numbers and their names, as a public client of the real platform maps them (Assumed to be the
 * platform's own list; a fixture alarm may name its type itself).
 */
export const ALARM_TYPES: Readonly<Record<number, string>> = {
  1: '未知报警',
  2: '短路报警',
  3: '漏电报警',
  4: '过载报警',
  5: '过压报警',
  6: '欠压报警',
  7: '温度报警',
  8: '浪涌报警',
  9: '漏电保护功能正常',
  10: '漏电保护自检未完成',
  11: '打火报警',
  12: '漏电预警',
  13: '电流预警',
  14: '过压预警',
  15: '欠压预警',
  16: '通讯报警',
};

/** One entry of `data.datas`, every field filled in. */
export interface AlarmRecord {
  at: number;
  calm: boolean;
  wire: { auto_id: number; node: string; type: string; time: string; typeNumber: number; addr: number; info: string } & Record<string, unknown>;
}

/**
 * Every box's alarms with what the fixture left out filled in: auto_id numbered in fixture order across all
 * boxes (skipping ids a fixture gives itself, so ids stay unique the way a database's are), node and info from
 * the channel, type from the type number. Built once per fixture load.
 */
export function alarmRecords(fixture: MantunFixture): Map<MantunBox, AlarmRecord[]> {
  const taken = new Set<number>();
  for (const p of fixture.projects) for (const b of p.boxes) for (const a of b.alarms) if (a.auto_id !== undefined) taken.add(a.auto_id);
  let next = 1;
  const nextId = (): number => {
    while (taken.has(next)) next++;
    taken.add(next);
    return next;
  };
  const out = new Map<MantunBox, AlarmRecord[]>();
  for (const p of fixture.projects) {
    for (const box of p.boxes) {
      if (out.has(box)) continue;
      out.set(
        box,
        box.alarms.map((a) => record(box, a, a.auto_id ?? nextId(), fixture.utcOffsetMinutes)),
      );
    }
  }
  return out;
}

function record(box: MantunBox, a: MantunAlarm, autoId: number, utcOffsetMinutes: number): AlarmRecord {
  const addr = a.addr ?? box.channels[0]?.addr ?? 1;
  const title = box.channels.find((c) => c.addr === addr)?.title ?? `${addr}`;
  const type = a.type ?? ALARM_TYPES[a.typeNumber] ?? '报警';
  return {
    at: parseLocalDateTime(a.time, utcOffsetMinutes) ?? 0,
    calm: a.calm,
    // Clients parse `time` with "%Y-%m-%d %H:%M": no seconds.
    wire: {
      auto_id: autoId,
      node: a.node ?? title,
      type,
      time: a.time.slice(0, 16),
      typeNumber: a.typeNumber,
      addr,
      info: a.info ?? `${title}${type}`,
      ...a.extra,
    },
  };
}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(true|1|yes)$/i.test(v.trim());

/**
 * GET_BOX_ALARM: `start` and `end` ("yyyy-MM-dd HH:mm", local time, both ends included) may each be left
 * out (a public client sends `end` alone); `type` keeps one type number; calmed alarms only with
 * includeCalm=true; then `page` (from 1) of `pageSize` (default 20, at most 1000), in fixture order.
 */
export function listAlarms(params: Params, records: readonly AlarmRecord[], utcOffsetMinutes: number): Record<string, unknown> {
  const bound = (name: 'start' | 'end', open: number): number => {
    const text = params[name];
    if (!text) return open;
    const at = parseLocalDateTime(text, utcOffsetMinutes);
    if (at === undefined) throw refuse('invalid_request', `${name} must be "yyyy-MM-dd HH:mm", got ${text}`);
    return at;
  };
  const start = bound('start', -Infinity);
  // "end" names a minute: every alarm within that minute is included.
  const end = bound('end', Infinity) + 59_999;
  const type = params.type ? params.type.trim() : '';
  const includeCalm = truthy(params.includeCalm);
  const page = Math.max(1, Number.parseInt(params.page ?? '1', 10) || 1);
  const pageSize = Math.min(1000, Math.max(1, Number.parseInt(params.pageSize ?? '20', 10) || 20));
  const matching = records.filter(
    (r) => r.at >= start && r.at <= end && (includeCalm || !r.calm) && (type === '' || String(r.wire.typeNumber) === type || r.wire.type === type),
  );
  return { total: matching.length, page, pageSize, datas: matching.slice((page - 1) * pageSize, page * pageSize).map((r) => r.wire) };
}
