import { refuse } from './errors.js';
import type { MantunBox, MantunChannel } from './fixture.js';
import type { Params } from './request.js';
import type { MantunState, Switch } from './state.js';

/**
 * Energy (GET_BOX_MON_POWER, GET_BOX_DAY_POWER, GET_BOX_HOUR_POWER), derived instead of listed: each channel
 * uses, in each local hour, its typical kWh for that hour of the day (fixture `energy.hourlyKwh`, default
 * gW / 1000) varied by up to ± `energy.variation`, for the part of the hour it was switched on and that has
 * passed on the sandbox clock. Hours are counted in hundredths of a kWh, so days are exactly the sum of
 * their hours and months of their days, whatever a client adds up. The variation of an hour follows from
 * the box, the channel and the hour alone, not from the world's random generator: every sandbox, session
 * and worker process (--workers, which mix their own ids into their seeds) answers the same figures, with
 * or without --seed.
 */
const HOUR = 3_600_000;

export interface EnergyClock {
  now: number;
  utcOffsetMinutes: number;
}

/** When a channel was on: its state before the first recorded switch, and the switches (ascending). */
export interface SwitchHistory {
  initial: boolean;
  switches: readonly Switch[];
}

export function historyOf(state: MantunState, box: MantunBox, ch: MantunChannel): SwitchHistory {
  const switches = state.switches?.[box.mac]?.[String(ch.addr)] ?? [];
  // Only real changes are recorded, so before the first one the channel was in the other state.
  const initial = switches.length ? !switches[0]![1] : (state.channels[box.mac]?.[String(ch.addr)]?.oc ?? ch.oc);
  return { initial, switches };
}

/** A number in [0, 1) fixed by its text (FNV-1a with murmur3's finaliser): the same inputs always vary the same way. */
export function seededUnit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Milliseconds a channel was on within [from, to). */
export function onTime(history: SwitchHistory, from: number, to: number): number {
  let on = history.initial;
  let t = from;
  let total = 0;
  for (const [at, oc] of history.switches) {
    if (at <= from) {
      on = oc;
      continue;
    }
    if (at >= to) break;
    if (on) total += at - t;
    t = at;
    on = oc;
  }
  if (on) total += to - t;
  return total;
}

/** A channel's energy in the local hour that starts at `start`, in hundredths of a kWh (0 for an hour not begun). */
function hourCenti(clock: EnergyClock, box: MantunBox, ch: MantunChannel, history: SwitchHistory, start: number): number {
  if (start >= clock.now) return 0;
  const on = onTime(history, start, Math.min(start + HOUR, clock.now));
  if (on <= 0) return 0;
  const hourOfDay = new Date(start + clock.utcOffsetMinutes * 60_000).getUTCHours();
  const typical = ch.energy.hourlyKwh?.[hourOfDay] ?? ch.gW / 1000;
  const swing = 1 + ch.energy.variation * (2 * seededUnit(`${box.mac}|${ch.addr}|${start}`) - 1);
  return Math.max(0, Math.round(typical * swing * (on / HOUR) * 100));
}

export interface ChannelEnergy {
  addr: number;
  electricity: number;
}

/** Per channel, the kWh of the local hours starting at each of `starts`. */
function sumHours(clock: EnergyClock, box: MantunBox, histories: readonly SwitchHistory[], starts: readonly number[]): ChannelEnergy[] {
  return box.channels.map((ch, i) => {
    let centi = 0;
    for (const start of starts) centi += hourCenti(clock, box, ch, histories[i]!, start);
    return { addr: ch.addr, electricity: centi / 100 };
  });
}

/** The local date a request names: year, month, day and hour params, each defaulting to the platform's today. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function localToday(clock: EnergyClock): LocalDate & { hour: number } {
  const d = new Date(clock.now + clock.utcOffsetMinutes * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours() };
}

function intParam(params: Params, name: string, min: number, max: number, fallback: number): number {
  const text = params[name];
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,4}$/.test(text.trim()) || +text < min || +text > max)
    throw refuse('invalid_request', `${name} must be a whole number from ${min} to ${max}, got ${text}`);
  return +text;
}

/** Epoch ms of a local wall-clock time; rolls over like Date.UTC (callers check the day exists). */
const localMs = (clock: EnergyClock, y: number, mo: number, d: number, h = 0): number => Date.UTC(y, mo - 1, d, h) - clock.utcOffsetMinutes * 60_000;

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

function dateParams(params: Params, clock: EnergyClock, withDay: boolean): LocalDate {
  const today = localToday(clock);
  const year = intParam(params, 'year', 1970, 9999, today.year);
  const month = intParam(params, 'month', 1, 12, today.month);
  const day = withDay ? intParam(params, 'day', 1, 31, today.day) : 1;
  if (day > daysIn(year, month)) throw refuse('invalid_request', `day must be a day of ${year}-${String(month).padStart(2, '0')}, got ${params.day}`);
  return { year, month, day };
}

const hoursOfDay = (clock: EnergyClock, d: LocalDate): number[] => Array.from({ length: 24 }, (_, h) => localMs(clock, d.year, d.month, d.day, h));

/** GET_BOX_MON_POWER (year, month): each channel's kWh in that local month, so far. */
export function monthEnergy(params: Params, clock: EnergyClock, box: MantunBox, histories: readonly SwitchHistory[]): ChannelEnergy[] {
  const { year, month } = dateParams(params, clock, false);
  const starts: number[] = [];
  for (let day = 1; day <= daysIn(year, month); day++) starts.push(...hoursOfDay(clock, { year, month, day }));
  return sumHours(clock, box, histories, starts);
}

/** GET_BOX_DAY_POWER (year, month, day): each channel's kWh in that local day, so far. */
export function dayEnergy(params: Params, clock: EnergyClock, box: MantunBox, histories: readonly SwitchHistory[]): ChannelEnergy[] {
  return sumHours(clock, box, histories, hoursOfDay(clock, dateParams(params, clock, true)));
}

/**
 * GET_BOX_HOUR_POWER (year, month, day, hour): an object keyed by the hour of the day ("0" … "23"; clients call
 * int() on the keys) whose values list each channel's kWh in that hour. With `hour` only that hour; without,
 * every hour of the day that has begun.
 */
export function hourEnergy(params: Params, clock: EnergyClock, box: MantunBox, histories: readonly SwitchHistory[]): Record<string, ChannelEnergy[]> {
  const date = dateParams(params, clock, true);
  const only = params.hour === undefined || params.hour === '' ? undefined : intParam(params, 'hour', 0, 23, 0);
  const out: Record<string, ChannelEnergy[]> = {};
  for (let h = 0; h < 24; h++) {
    if (only !== undefined && h !== only) continue;
    const start = localMs(clock, date.year, date.month, date.day, h);
    if (start >= clock.now) break;
    out[String(h)] = sumHours(clock, box, histories, [start]);
  }
  return out;
}
