import { jsonReply } from '../../core/http/reply.js';
import type { Reply } from '../../core/platform.js';
import type { World } from '../../core/world.js';
import { fail, fixtureOf, MANTUN, ok, requireParams } from './context.js';
import type { MantunBox, MantunChannel, MantunProject } from './fixture.js';
import { formatLocalDateTime, parseLocalDateTime } from './signing.js';

/** Per-world device state: what PUT_BOX_CONTROL changed, by box mac and channel addr. */
export interface MantunState {
  channels: Record<string, Record<string, { oc: boolean; updateTime: string }>>;
}

export const initialMantunState = (): MantunState => ({ channels: {} });

type Params = Record<string, string>;
type MethodHandler = (world: World, params: Params) => Reply;

function project(world: World, params: Params): MantunProject {
  requireParams(world, params, ['projectCode']);
  const found = fixtureOf(world).projects.find((p) => p.projectCode === params.projectCode);
  if (!found) throw fail(world, 'not_found', `projectCode ${params.projectCode}`);
  return found;
}

/** A box by mac, within the project when projectCode is given. */
function box(world: World, params: Params): MantunBox {
  requireParams(world, params, ['mac']);
  const projects = params.projectCode ? [project(world, params)] : fixtureOf(world).projects;
  for (const p of projects) {
    const b = p.boxes.find((x) => x.mac === params.mac);
    if (b) return b;
  }
  throw fail(world, 'not_found', `mac ${params.mac}`);
}

const without = <T extends object>(obj: T, ...keys: string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!keys.includes(k)) out[k] = v;
  return out;
};

function liveChannels(world: World, b: MantunBox): (MantunChannel & { mac: string })[] {
  const changed = world.state<MantunState>(MANTUN).channels[b.mac] ?? {};
  return b.channels.map((c) => ({ ...c, mac: b.mac, ...(changed[String(c.addr)] ?? {}) }));
}

function control(world: World, params: Params): Reply {
  const b = box(world, params);
  requireParams(world, params, ['cmd', 'value1', 'value2']);
  if (params.cmd !== 'OCSWITCH') throw fail(world, 'invalid_request', `cmd must be OCSWITCH, got ${params.cmd}`);
  if (params.value1 !== 'open' && params.value1 !== 'close') throw fail(world, 'invalid_request', `value1 must be open or close, got ${params.value1}`);
  const addrs = params.value2.split(',').map((s) => s.trim());
  for (const addr of addrs) {
    const ch = b.channels.find((c) => String(c.addr) === addr);
    if (!ch) throw fail(world, 'invalid_request', `value2: box ${b.mac} has no channel ${addr}`);
    if (!ch.enableNetCtrl) throw fail(world, 'invalid_request', `value2: channel ${addr} of box ${b.mac} does not allow remote control (enableNetCtrl false)`);
  }
  const state = world.state<MantunState>(MANTUN);
  const updateTime = formatLocalDateTime(world.clock.now(), fixtureOf(world).utcOffsetMinutes);
  const perBox = (state.channels[b.mac] ??= {});
  for (const addr of addrs) perBox[addr] = { oc: params.value1 === 'open', updateTime };
  world.touchState();
  return jsonReply({ message: '成功', success: true, code: '0' });
}

function alarms(world: World, params: Params): Reply {
  const b = box(world, params);
  const offset = fixtureOf(world).utcOffsetMinutes;
  const start = params.start ? parseLocalDateTime(params.start, offset) : -Infinity;
  const end = params.end ? parseLocalDateTime(params.end, offset) : Infinity;
  if (start === undefined || end === undefined) throw fail(world, 'invalid_request', 'start and end must be "yyyy-MM-dd HH:mm"');
  const page = Math.max(1, Number.parseInt(params.page ?? '1', 10) || 1);
  const pageSize = Math.min(1000, Math.max(1, Number.parseInt(params.pageSize ?? '20', 10) || 20));
  const matching = b.alarms.filter((a) => {
    const t = parseLocalDateTime(a.time, offset) ?? 0;
    return t >= start && t <= end;
  });
  return ok({ total: matching.length, page, pageSize, datas: matching.slice((page - 1) * pageSize, page * pageSize) });
}

/** Router methods seen in public clients (PROTOCOLS §1.5); each answers fixture data. */
export const MANTUN_METHODS: Record<string, MethodHandler> = {
  GET_PROJECTS: (world) => ok(fixtureOf(world).projects.map((p) => without(p, 'boxes'))),
  GET_PROJECT_INFO: (world, params) => ok(without(project(world, params), 'boxes')),
  GET_BOXES: (world, params) => ok(project(world, params).boxes.map((b) => ({ mac: b.mac, name: b.name, phone: b.phone }))),
  GET_BOX: (world, params) => ok(without(box(world, params), 'channels', 'alarms', 'power')),
  GET_BOX_CHANNELS_REALTIME: (world, params) => ok(liveChannels(world, box(world, params))),
  GET_BOX_CHANNELS_OC: (world, params) => ok(liveChannels(world, box(world, params)).map((c) => ({ addr: c.addr, mac: c.mac, title: c.title, oc: c.oc }))),
  PUT_BOX_CONTROL: control,
  GET_BOX_ALARM: alarms,
  GET_BOX_MON_POWER: (world, params) => ok(box(world, params).power.month),
  GET_BOX_DAY_POWER: (world, params) => ok(box(world, params).power.day),
  GET_BOX_HOUR_POWER: (world, params) => ok(box(world, params).power.hour),
};
