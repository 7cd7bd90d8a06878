import { formatLocal } from '../../core/time/local-time.js';
import type { MantunBox, MantunChannel } from './fixture.js';
import type { ChannelLive } from './state.js';

/**
 * The electrical readings of a channel as GET_BOX_CHANNELS_REALTIME names them: A current (A), T temperature
 * (°C), V voltage (V), W active power (W), PF power factor; g the total, a/b/c the phases, n the neutral; gLd
 * the leakage current (mA). Public clients read them by these names (`channel['aW']`).
 */
export const READINGS = [
  'gLd',
  'gA',
  'gT',
  'gV',
  'gW',
  'gPF',
  'aA',
  'aT',
  'aV',
  'aW',
  'aPF',
  'bA',
  'bT',
  'bV',
  'bW',
  'bPF',
  'cA',
  'cT',
  'cV',
  'cW',
  'cPF',
  'nA',
  'nT',
] as const;

export type Reading = (typeof READINGS)[number];

/** What flows only while the breaker is closed: these read 0 on a switched-off channel (voltage and temperature stay). */
const FLOWING = /(A|W|PF|Ld)$/;

/** A channel without readings in its fixture: a light single-phase load on phase a (220.4 V × 2.3 A × 0.9 = 456.2 W). */
export const DEFAULT_READINGS: Readonly<Record<Reading, number>> = {
  gLd: 0,
  gA: 2.3,
  gT: 31.5,
  gV: 220.4,
  gW: 456.2,
  gPF: 0.9,
  aA: 2.3,
  aT: 31.5,
  aV: 220.4,
  aW: 456.2,
  aPF: 0.9,
  bA: 0,
  bT: 0,
  bV: 0,
  bW: 0,
  bPF: 0,
  cA: 0,
  cT: 0,
  cV: 0,
  cW: 0,
  cPF: 0,
  nA: 2.3,
  nT: 30.8,
};

/** Every field of a realtime channel, in the order the answer carries them. */
export const CHANNEL_WIRE_FIELDS: readonly string[] = [
  'addr',
  'mac',
  'title',
  'oc',
  'online',
  'enableNetCtrl',
  'validity',
  'power',
  'updateTime',
  'mxgg',
  'mxgl',
  'lineType',
  'specification',
  'control',
  'visibility',
  'alarm',
  ...READINGS,
];

/** `yyyy-MM-dd HH:mm:ss` at the last whole minute: when a live device last reported. */
function lastMinute(nowMs: number, utcOffsetMinutes: number): string {
  return formatLocal(nowMs - (((nowMs % 60_000) + 60_000) % 60_000), utcOffsetMinutes);
}

/**
 * One channel as GET_BOX_CHANNELS_REALTIME answers it, in the state the world holds: `live` is what
 * PUT_BOX_CONTROL last set (undefined: as the fixture says). A fixture's pinned updateTime stands until a
 * command is newer; without one the device reports every minute.
 */
export function realtimeChannel(
  box: MantunBox,
  ch: MantunChannel,
  live: ChannelLive | undefined,
  nowMs: number,
  utcOffsetMinutes: number,
): Record<string, unknown> {
  const on = live?.oc ?? ch.oc;
  const reported = ch.updateTime ?? lastMinute(nowMs, utcOffsetMinutes);
  // Both texts are yyyy-MM-dd HH:mm:ss in one zone, so comparing them as strings compares the instants.
  const updateTime = live?.updateTime !== undefined && live.updateTime > reported ? live.updateTime : reported;
  const out: Record<string, unknown> = {
    addr: ch.addr,
    mac: box.mac,
    title: ch.title,
    oc: on,
    online: ch.online,
    enableNetCtrl: ch.enableNetCtrl,
    validity: ch.validity,
    power: on ? (ch.power ?? Math.round(ch.gW) / 1000) : 0,
    updateTime,
    mxgg: ch.mxgg,
    mxgl: ch.mxgl,
    lineType: ch.lineType,
    specification: ch.specification,
    control: ch.control,
    visibility: ch.visibility,
    alarm: ch.alarm,
  };
  for (const name of READINGS) out[name] = on || !FLOWING.test(name) ? ch[name] : 0;
  return Object.assign(out, ch.extra);
}
