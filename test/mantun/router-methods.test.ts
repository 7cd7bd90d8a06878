import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { form, getTokens, MAC, PROJECT, routerParams } from '../helpers/mantun.js';

let t: TestSandbox;
let token: string;
// 2026-11-21 10:30:00 in Asia/Shanghai: a weekday morning, the lights on for a few hours already.
const NOW = Date.parse('2026-11-21T10:30:00+08:00');
beforeAll(async () => {
  t = await startTestSandbox();
});
beforeEach(async () => {
  await t.http.post('/__sandbox/reset').expect(200);
  t.sb.clock.set(NOW);
  token = (await getTokens(t.http)).accessToken;
});
afterAll(() => t.close());

const call = async (method: string, extra: Record<string, string> = {}) =>
  (
    await t.http
      .post('/invoke/router.as')
      .type('form')
      .send(form(routerParams(token, method, t.sb.clock.now(), extra)))
  ).body;
const BOX = { projectCode: PROJECT, mac: MAC };

const ZERO_PHASE = (p: string) => ({ [`${p}A`]: 0, [`${p}T`]: 0, [`${p}V`]: 0, [`${p}W`]: 0, [`${p}PF`]: 0 });
const LIGHTING = {
  addr: 1,
  mac: MAC,
  title: 'Lighting',
  oc: true,
  online: true,
  enableNetCtrl: true,
  validity: true,
  power: 1.194,
  updateTime: '2026-11-21 10:30:00',
  mxgg: 16,
  mxgl: 3.52,
  lineType: 1,
  specification: 'C16',
  control: true,
  visibility: true,
  alarm: 0,
  gLd: 2,
  gA: 5.8,
  gT: 34.2,
  gV: 221.3,
  gW: 1193.7,
  gPF: 0.93,
  aA: 5.8,
  aT: 34.2,
  aV: 221.3,
  aW: 1193.7,
  aPF: 0.93,
  ...ZERO_PHASE('b'),
  ...ZERO_PHASE('c'),
  nA: 5.8,
  nT: 33.6,
};
const FIELD_ORDER = Object.keys(LIGHTING);

describe('router.as methods answer fixture data', () => {
  test('GET_PROJECTS, GET_PROJECT_INFO, GET_BOXES and GET_BOX', async () => {
    expect(await call('GET_PROJECTS')).toEqual({ success: true, code: '0', data: [{ projectCode: PROJECT, projectName: 'Sandbox demo project' }] });
    expect(await call('GET_PROJECT_INFO', { projectCode: PROJECT })).toEqual({
      success: true,
      code: '0',
      data: { projectCode: PROJECT, projectName: 'Sandbox demo project' },
    });
    expect((await call('GET_BOXES', { projectCode: PROJECT })).data).toEqual([
      { mac: MAC, name: 'Workshop distribution box', phone: '13800000000' },
      { mac: '187ED5310B3D', name: 'Office box', phone: '13800000001' },
    ]);
    expect(await call('GET_BOX', { mac: MAC })).toEqual({
      success: true,
      code: '0',
      data: { mac: MAC, name: 'Workshop distribution box', phone: '13800000000' },
    });
  });
});

describe('GET_BOX_CHANNELS_REALTIME: every field public clients read, consistent with the switch state', () => {
  test('a switched-on channel: every field and reading, in order, with its type', async () => {
    const res = await call('GET_BOX_CHANNELS_REALTIME', BOX);
    expect(res.success).toBe(true);
    expect(res.data).toHaveLength(3);
    expect(res.data[0]).toEqual(LIGHTING);
    for (const channel of res.data) {
      expect(Object.keys(channel)).toEqual(FIELD_ORDER);
      for (const flag of ['oc', 'online', 'enableNetCtrl']) expect(typeof channel[flag]).toBe('boolean');
      for (const reading of FIELD_ORDER.slice(FIELD_ORDER.indexOf('gLd'))) expect(typeof channel[reading]).toBe('number');
      expect(channel.updateTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
  });

  test('a switched-off channel reads no current, power or power factor; voltage and temperature stay', async () => {
    const air = (await call('GET_BOX_CHANNELS_REALTIME', BOX)).data[1];
    expect(air).toMatchObject({
      addr: 2,
      title: 'Air conditioning',
      oc: false,
      power: 0,
      gLd: 0,
      gA: 0,
      gW: 0,
      gPF: 0,
      aA: 0,
      aW: 0,
      aPF: 0,
      bA: 0,
      bW: 0,
      cA: 0,
      cW: 0,
      nA: 0,
    });
    expect(air).toMatchObject({ gV: 220.7, aV: 220.8, bV: 221.5, cV: 219.9, gT: 38.6, aT: 38.1, nT: 36.2, lineType: 3 });
  });

  test('a channel the fixture gives no readings gets the documented light single-phase load', async () => {
    const [main] = (await call('GET_BOX_CHANNELS_REALTIME', { projectCode: PROJECT, mac: '187ED5310B3D' })).data;
    expect(main).toEqual({
      addr: 1,
      mac: '187ED5310B3D',
      title: 'Main',
      oc: true,
      online: true,
      enableNetCtrl: true,
      validity: true,
      power: 0.456,
      updateTime: '2026-11-21 10:30:00',
      mxgg: 32,
      mxgl: 7.04,
      lineType: 1,
      specification: 'C32',
      control: true,
      visibility: true,
      alarm: 0,
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
      ...ZERO_PHASE('b'),
      ...ZERO_PHASE('c'),
      nA: 2.3,
      nT: 30.8,
    });
  });

  test('a live device reports at the last whole minute of the sandbox clock', async () => {
    t.sb.clock.set(NOW + 95_000);
    expect((await call('GET_BOX_CHANNELS_REALTIME', BOX)).data.map((c: { updateTime: string }) => c.updateTime)).toEqual(Array(3).fill('2026-11-21 10:31:00'));
  });

  test('PUT_BOX_CONTROL switches channels: oc, readings and GET_BOX_CHANNELS_OC follow', async () => {
    t.sb.clock.set(NOW + 15_000);
    expect(await call('PUT_BOX_CONTROL', { ...BOX, cmd: 'OCSWITCH', value1: 'close', value2: '1' })).toEqual({ message: '成功', success: true, code: '0' });
    expect(await call('PUT_BOX_CONTROL', { ...BOX, cmd: 'OCSWITCH', value1: 'open', value2: '2' })).toEqual({ message: '成功', success: true, code: '0' });
    const [lighting, air, sockets] = (await call('GET_BOX_CHANNELS_REALTIME', BOX)).data;
    expect(lighting).toEqual({
      ...LIGHTING,
      oc: false,
      power: 0,
      updateTime: '2026-11-21 10:30:15',
      gLd: 0,
      gA: 0,
      gW: 0,
      gPF: 0,
      aA: 0,
      aW: 0,
      aPF: 0,
      nA: 0,
    });
    expect(air).toMatchObject({
      oc: true,
      power: 4.499,
      gA: 23.7,
      gW: 4499.3,
      gPF: 0.86,
      aW: 1500.1,
      bW: 1543,
      cW: 1456.2,
      nA: 0.4,
      gLd: 3,
      updateTime: '2026-11-21 10:30:15',
    });
    expect(sockets).toMatchObject({ oc: true, aW: 398.7, updateTime: '2026-11-21 10:30:00' });
    const oc = await call('GET_BOX_CHANNELS_OC', BOX);
    expect(oc).toEqual({
      success: true,
      code: '0',
      data: [
        { addr: 1, mac: MAC, title: 'Lighting', oc: false },
        { addr: 2, mac: MAC, title: 'Air conditioning', oc: true },
        { addr: 3, mac: MAC, title: 'Sockets', oc: true },
      ],
    });
    expect(oc.data[0].oc).toBe(false);
  });

  test('POST /__sandbox/reset returns the devices to the fixtures', async () => {
    await call('PUT_BOX_CONTROL', { ...BOX, cmd: 'OCSWITCH', value1: 'close', value2: '1,2' });
    await t.http.post('/__sandbox/reset').expect(200);
    t.sb.clock.set(NOW);
    token = (await getTokens(t.http)).accessToken;
    expect((await call('GET_BOX_CHANNELS_OC', BOX)).data.map((c: { oc: boolean }) => c.oc)).toEqual([true, false, true]);
  });

  test.each([
    [{ cmd: 'REBOOT', value1: 'open', value2: '1' }, 'invalid request: cmd must be OCSWITCH, got REBOOT'],
    [{ cmd: 'OCSWITCH', value1: 'toggle', value2: '1' }, 'invalid request: value1 must be open or close, got toggle'],
    [{ cmd: 'OCSWITCH', value1: 'open', value2: '9' }, `invalid request: value2: box ${MAC} has no channel 9`],
    [{ cmd: 'OCSWITCH', value1: 'open', value2: '3' }, `invalid request: value2: channel 3 of box ${MAC} does not allow remote control (enableNetCtrl false)`],
    [{ cmd: 'OCSWITCH', value1: 'open' }, 'invalid request: missing parameter value2'],
  ])('PUT_BOX_CONTROL refuses %j', async (extra, message) => {
    expect(await call('PUT_BOX_CONTROL', { ...BOX, ...extra })).toEqual({ success: false, code: '10001', message });
  });

  test('a refused PUT_BOX_CONTROL switches nothing, not even the channels listed before the bad one', async () => {
    expect((await call('PUT_BOX_CONTROL', { ...BOX, cmd: 'OCSWITCH', value1: 'close', value2: '1,3' })).code).toBe('10001');
    expect((await call('GET_BOX_CHANNELS_OC', BOX)).data.map((c: { oc: boolean }) => c.oc)).toEqual([true, false, true]);
  });
});

describe('GET_BOX_ALARM: data.datas as public clients read it', () => {
  const ALARMS = [
    { auto_id: 1, node: 'Air conditioning', type: '过载报警', time: '2026-11-01 09:15', typeNumber: 4, addr: 2, info: 'Air conditioning 过载报警' },
    { auto_id: 2, node: 'Lighting', type: '漏电报警', time: '2026-11-02 14:40', typeNumber: 3, addr: 1, info: 'Lighting 漏电报警' },
    { auto_id: 4, node: 'Lighting', type: '漏电保护功能正常', time: '2026-11-03 08:00', typeNumber: 9, addr: 1, info: 'Lighting 漏电保护自检正常' },
  ];

  test('end without start (as a public client sends it): every alarm up to that minute, typeNumber an integer', async () => {
    const res = await call('GET_BOX_ALARM', { ...BOX, end: '2026-11-30 00:00' });
    expect(res).toEqual({ success: true, code: '0', data: { total: 3, page: 1, pageSize: 20, datas: ALARMS } });
    for (const a of res.data.datas) expect(Number.isInteger(a.typeNumber)).toBe(true);
    expect((await call('GET_BOX_ALARM', { ...BOX, end: '2026-11-02 14:40' })).data.datas.map((a: { auto_id: number }) => a.auto_id)).toEqual([1, 2]);
    expect((await call('GET_BOX_ALARM', { ...BOX, end: '2026-11-02 14:39' })).data.datas.map((a: { auto_id: number }) => a.auto_id)).toEqual([1]);
  });

  test('start and end, both ends included; neither: all', async () => {
    expect((await call('GET_BOX_ALARM', { ...BOX, start: '2026-11-02 14:40', end: '2026-11-03 08:00' })).data.datas).toEqual(ALARMS.slice(1));
    expect((await call('GET_BOX_ALARM', { ...BOX, start: '2026-11-02 00:00' })).data.total).toBe(2);
    expect((await call('GET_BOX_ALARM', BOX)).data.total).toBe(3);
  });

  test('calmed alarms only with includeCalm=true; type keeps one type number; pages', async () => {
    const withCalm = await call('GET_BOX_ALARM', { ...BOX, end: '2026-11-30 00:00', includeCalm: 'true' });
    expect(withCalm.data.datas.map((a: { auto_id: number }) => a.auto_id)).toEqual([1, 2, 3, 4]);
    expect(withCalm.data.datas[2]).toEqual({
      auto_id: 3,
      node: 'Lighting',
      type: '漏电报警',
      time: '2026-11-02 14:52',
      typeNumber: 3,
      addr: 1,
      info: 'Lighting 漏电报警已恢复',
    });
    expect((await call('GET_BOX_ALARM', { ...BOX, type: '9' })).data.datas).toEqual([ALARMS[2]]);
    expect((await call('GET_BOX_ALARM', { ...BOX, page: '2', pageSize: '2' })).data).toEqual({ total: 3, page: 2, pageSize: 2, datas: [ALARMS[2]] });
  });

  test('a start or end not in "yyyy-MM-dd HH:mm" is refused', async () => {
    expect(await call('GET_BOX_ALARM', { ...BOX, end: 'today' })).toEqual({
      success: false,
      code: '10001',
      message: 'invalid request: end must be "yyyy-MM-dd HH:mm", got today',
    });
  });
});
