import { refuse } from '../../core/errors.js';
import { jsonReply } from '../../core/http/reply.js';
import type { EndpointContext, Reply } from '../../core/platform.js';
import type { MantunBox, MantunChannel, MantunFixture, MantunProject } from './fixture.js';
import { requireParams, type Params } from './forms.js';
import { MANTUN } from './id.js';
import type { MantunIndex } from './lookups.js';
import { formatLocalDateTime, parseLocalDateTime } from './signing.js';
import type { MantunState } from './state.js';

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

const without = <T extends object>(obj: T, ...keys: string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!keys.includes(k)) out[k] = v;
  return out;
};

async function liveChannels(ctx: Ctx, b: MantunBox): Promise<(MantunChannel & { mac: string })[]> {
  const changed = (await ctx.world.readState<MantunState>(MANTUN)).channels[b.mac] ?? {};
  return b.channels.map((c) => ({ ...c, mac: b.mac, ...(changed[String(c.addr)] ?? {}) }));
}

async function control(params: Params, ctx: Ctx): Promise<Reply> {
  const b = box(params, ctx);
  requireParams(params, ['cmd', 'value1', 'value2']);
  if (params.cmd !== 'OCSWITCH') throw refuse('invalid_request', `cmd must be OCSWITCH, got ${params.cmd}`);
  if (params.value1 !== 'open' && params.value1 !== 'close') throw refuse('invalid_request', `value1 must be open or close, got ${params.value1}`);
  const addrs = params.value2.split(',').map((s) => s.trim());
  for (const addr of addrs) {
    const ch = b.channels.find((c) => String(c.addr) === addr);
    if (!ch) throw refuse('invalid_request', `value2: box ${b.mac} has no channel ${addr}`);
    if (!ch.enableNetCtrl) throw refuse('invalid_request', `value2: channel ${addr} of box ${b.mac} does not allow remote control (enableNetCtrl false)`);
  }
  const updateTime = formatLocalDateTime(ctx.world.clock.now(), ctx.fixture.utcOffsetMinutes);
  await ctx.world.updateState<MantunState, void>(MANTUN, (state) => {
    const perBox = (state.channels[b.mac] ??= {});
    for (const addr of addrs) perBox[addr] = { oc: params.value1 === 'open', updateTime };
  });
  return jsonReply({ message: '成功', success: true, code: '0' });
}

function alarms(params: Params, ctx: Ctx): Reply {
  const b = box(params, ctx);
  const offset = ctx.fixture.utcOffsetMinutes;
  const start = params.start ? parseLocalDateTime(params.start, offset) : -Infinity;
  const end = params.end ? parseLocalDateTime(params.end, offset) : Infinity;
  if (start === undefined || end === undefined) throw refuse('invalid_request', 'start and end must be "yyyy-MM-dd HH:mm"');
  const page = Math.max(1, Number.parseInt(params.page ?? '1', 10) || 1);
  const pageSize = Math.min(1000, Math.max(1, Number.parseInt(params.pageSize ?? '20', 10) || 20));
  const matching = b.alarms.filter((a) => {
    const t = parseLocalDateTime(a.time, offset) ?? 0;
    return t >= start && t <= end;
  });
  return ok({ total: matching.length, page, pageSize, datas: matching.slice((page - 1) * pageSize, page * pageSize) });
}

/** Router methods seen in public clients (docs/platforms/mantun.md#methods); each answers fixture data. */
export const MANTUN_METHODS: Record<string, MethodHandler> = {
  GET_PROJECTS: (_params, ctx) => ok(ctx.fixture.projects.map((p) => without(p, 'boxes'))),
  GET_PROJECT_INFO: (params, ctx) => ok(without(project(params, ctx), 'boxes')),
  GET_BOXES: (params, ctx) => ok(project(params, ctx).boxes.map((b) => ({ mac: b.mac, name: b.name, phone: b.phone }))),
  GET_BOX: (params, ctx) => ok(without(box(params, ctx), 'channels', 'alarms', 'power')),
  GET_BOX_CHANNELS_REALTIME: async (params, ctx) => ok(await liveChannels(ctx, box(params, ctx))),
  GET_BOX_CHANNELS_OC: async (params, ctx) => ok((await liveChannels(ctx, box(params, ctx))).map((c) => ({ addr: c.addr, mac: c.mac, title: c.title, oc: c.oc }))),
  PUT_BOX_CONTROL: control,
  GET_BOX_ALARM: alarms,
  GET_BOX_MON_POWER: (params, ctx) => ok(box(params, ctx).power.month),
  GET_BOX_DAY_POWER: (params, ctx) => ok(box(params, ctx).power.day),
  GET_BOX_HOUR_POWER: (params, ctx) => ok(box(params, ctx).power.hour),
};
