import type { MaybePromise } from '../../core/state/maybe-async.js';
import { refuse } from './errors.js';
import { jsonReply } from '../../core/http/reply.js';
import type { EndpointContext, Reply } from '../../core/platform.js';
import { listAlarms } from './alarms.js';
import { dayEnergy, historyOf, hourEnergy, monthEnergy, type EnergyClock, type SwitchHistory } from './energy.js';
import type { MantunBox, MantunFixture, MantunProject } from './fixture.js';
import { requireParams, type Params } from './request.js';
import { MANTUN } from './id.js';
import type { MantunIndex } from './lookups.js';
import { realtimeChannel } from './readings.js';
import { formatLocalDateTime } from './signing.js';
import { SWITCHES_KEPT, type MantunState, type Switch } from './state.js';

type Ctx = EndpointContext<MantunFixture, MantunIndex>;
type MethodHandler = (params: Params, ctx: Ctx) => Reply | Promise<Reply>;

export const ok = (data: unknown): Reply => jsonReply({ success: true, code: '0', data });

function project(params: Params, ctx: Ctx): MantunProject {
  requireParams(params, ['projectCode']);
  const found = ctx.index.projects.get(params.projectCode);
  if (!found) throw refuse('not_found', `projectCode ${params.projectCode}`);
  return found;
}

/** A box by mac, within the project when projectCode is given. */
function box(params: Params, ctx: Ctx): MantunBox {
  requireParams(params, ['mac']);
  const found = params.projectCode ? ctx.index.boxesOf.get(project(params, ctx).projectCode)?.get(params.mac) : ctx.index.boxes.get(params.mac);
  if (!found) throw refuse('not_found', `mac ${params.mac}`);
  return found;
}

const state = (ctx: Ctx): MaybePromise<MantunState> => ctx.world.readState<MantunState>(MANTUN);

async function realtime(ctx: Ctx, b: MantunBox): Promise<Record<string, unknown>[]> {
  const changed = (await state(ctx)).channels[b.mac] ?? {};
  const now = ctx.world.clock.now();
  return b.channels.map((c) => realtimeChannel(b, c, changed[String(c.addr)], now, ctx.fixture.utcOffsetMinutes));
}

/**
 * PUT_BOX_CONTROL cmd=OCSWITCH: value1 open switches the channels in value2 on (合闸, oc true), close switches
 * them off. Every listed channel must exist and allow remote control before any is switched.
 */
async function control(params: Params, ctx: Ctx): Promise<Reply> {
  const b = box(params, ctx);
  requireParams(params, ['cmd', 'value1', 'value2']);
  if (params.cmd !== 'OCSWITCH') throw refuse('invalid_request', `cmd must be OCSWITCH, got ${params.cmd}`);
  if (params.value1 !== 'open' && params.value1 !== 'close') throw refuse('invalid_request', `value1 must be open or close, got ${params.value1}`);
  const addrs = params.value2.split(',').map((s) => s.trim());
  const channels = addrs.map((addr) => {
    const ch = b.channels.find((c) => String(c.addr) === addr);
    if (!ch) throw refuse('invalid_request', `value2: box ${b.mac} has no channel ${addr}`);
    if (!ch.enableNetCtrl) throw refuse('invalid_request', `value2: channel ${addr} of box ${b.mac} does not allow remote control (enableNetCtrl false)`);
    return ch;
  });
  const now = ctx.world.clock.now();
  const updateTime = formatLocalDateTime(now, ctx.fixture.utcOffsetMinutes);
  const oc = params.value1 === 'open';
  await ctx.world.updateState<MantunState, void>(MANTUN, (s) => {
    const perBox = (s.channels[b.mac] ??= {});
    const switchesOfBox = ((s.switches ??= {})[b.mac] ??= {});
    for (const ch of channels) {
      const addr = String(ch.addr);
      const was = perBox[addr]?.oc ?? ch.oc;
      perBox[addr] = { oc, updateTime };
      // Only a real change is a switch: the energy of past hours follows these (energy.ts).
      if (was === oc) continue;
      const list = (switchesOfBox[addr] ??= []);
      const at = list.findIndex(([t]) => t > now);
      const entry: Switch = [now, oc];
      if (at < 0) list.push(entry);
      else list.splice(at, 0, entry);
      if (list.length > SWITCHES_KEPT) list.splice(0, list.length - SWITCHES_KEPT);
    }
  });
  return jsonReply({ message: '成功', success: true, code: '0' });
}

/** What the energy methods need: the clock and each channel's switch history. */
async function energyInputs(params: Params, ctx: Ctx): Promise<[EnergyClock, MantunBox, SwitchHistory[]]> {
  const b = box(params, ctx);
  const s = await state(ctx);
  const clock: EnergyClock = { now: ctx.world.clock.now(), utcOffsetMinutes: ctx.fixture.utcOffsetMinutes };
  return [clock, b, b.channels.map((c) => historyOf(s, b, c))];
}

// A plain loop: this runs for every box of every GET_BOXES answer, and fromEntries over a mapped array cost 3 % of one.
const fields = <T extends object>(obj: T, ...keys: (keyof T)[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k as string] = obj[k];
  return out;
};

/** Router methods seen in public clients (docs/platforms/mantun.md#methods); each answers fixture data. */
export const MANTUN_METHODS: Record<string, MethodHandler> = {
  GET_PROJECTS: (_params, ctx) => ok(ctx.fixture.projects.map((p) => ({ ...fields(p, 'projectCode', 'projectName'), ...p.extra }))),
  GET_PROJECT_INFO: (params, ctx) => {
    const p = project(params, ctx);
    return ok({ ...fields(p, 'projectCode', 'projectName'), ...p.extra });
  },
  GET_BOXES: (params, ctx) => ok(project(params, ctx).boxes.map((b) => ({ ...fields(b, 'mac', 'name', 'phone'), ...b.extra }))),
  GET_BOX: (params, ctx) => {
    const b = box(params, ctx);
    return ok({ ...fields(b, 'mac', 'name', 'phone'), ...b.extra });
  },
  GET_BOX_CHANNELS_REALTIME: async (params, ctx) => ok(await realtime(ctx, box(params, ctx))),
  GET_BOX_CHANNELS_OC: async (params, ctx) => ok((await realtime(ctx, box(params, ctx))).map((c) => fields(c, 'addr', 'mac', 'title', 'oc'))),
  PUT_BOX_CONTROL: control,
  GET_BOX_ALARM: (params, ctx) => ok(listAlarms(params, ctx.index.alarms.get(box(params, ctx)) ?? [], ctx.fixture.utcOffsetMinutes)),
  GET_BOX_MON_POWER: async (params, ctx) => ok(monthEnergy(params, ...(await energyInputs(params, ctx)))),
  GET_BOX_DAY_POWER: async (params, ctx) => ok(dayEnergy(params, ...(await energyInputs(params, ctx)))),
  GET_BOX_HOUR_POWER: async (params, ctx) => ok(hourEnergy(params, ...(await energyInputs(params, ctx)))),
};
