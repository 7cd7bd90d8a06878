import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { form, getTokens, MAC, PROJECT, routerParams } from '../helpers/mantun.js';

let t: TestSandbox;
let token: string;
beforeAll(async () => {
  t = await startTestSandbox();
  token = (await getTokens(t.http)).accessToken;
});
afterAll(() => t.close());

const call = async (method: string, extra: Record<string, string> = {}) =>
  (await t.http.post('/invoke/router.as').type('form').send(form(routerParams(token, method, t.sb.clock.now(), extra)))).body;

describe('router.as methods answer fixture data', () => {
  test('GET_PROJECTS and GET_PROJECT_INFO', async () => {
    expect(await call('GET_PROJECTS')).toEqual({ success: true, code: '0', data: [{ projectCode: PROJECT, projectName: 'Sandbox demo project' }] });
    expect(await call('GET_PROJECT_INFO', { projectCode: PROJECT })).toEqual({ success: true, code: '0', data: { projectCode: PROJECT, projectName: 'Sandbox demo project' } });
  });

  test('GET_BOX', async () => {
    expect(await call('GET_BOX', { mac: MAC })).toEqual({ success: true, code: '0', data: { mac: MAC, name: 'Workshop distribution box', phone: '13800000000' } });
  });

  test('GET_BOX_CHANNELS_REALTIME lists channels with their documented fields', async () => {
    const res = await call('GET_BOX_CHANNELS_REALTIME', { projectCode: PROJECT, mac: MAC });
    expect(res.success).toBe(true);
    expect(res.data).toHaveLength(3);
    expect(res.data[0]).toEqual({ addr: 1, mac: MAC, title: 'Lighting', oc: true, online: true, enableNetCtrl: true, validity: true, power: 1.2, updateTime: '2026-11-01 08:00:00' });
  });

  test('PUT_BOX_CONTROL changes what GET_BOX_CHANNELS_REALTIME and GET_BOX_CHANNELS_OC show', async () => {
    t.sb.clock.set(Date.parse('2026-11-21T10:00:00+08:00'));
    expect(await call('PUT_BOX_CONTROL', { projectCode: PROJECT, mac: MAC, cmd: 'OCSWITCH', value1: 'close', value2: '1' })).toEqual({ message: '成功', success: true, code: '0' });
    expect(await call('PUT_BOX_CONTROL', { projectCode: PROJECT, mac: MAC, cmd: 'OCSWITCH', value1: 'open', value2: '2' })).toEqual({ message: '成功', success: true, code: '0' });
    const realtime = await call('GET_BOX_CHANNELS_REALTIME', { projectCode: PROJECT, mac: MAC });
    expect(realtime.data.map((c: { addr: number; oc: boolean }) => [c.addr, c.oc])).toEqual([[1, false], [2, true], [3, true]]);
    expect(realtime.data[0].updateTime).toBe('2026-11-21 10:00:00');
    expect((await call('GET_BOX_CHANNELS_OC', { projectCode: PROJECT, mac: MAC })).data).toEqual([
      { addr: 1, mac: MAC, title: 'Lighting', oc: false },
      { addr: 2, mac: MAC, title: 'Air conditioning', oc: true },
      { addr: 3, mac: MAC, title: 'Sockets', oc: true },
    ]);
  });

  test('POST /__sandbox/reset returns the devices to the fixtures', async () => {
    await call('PUT_BOX_CONTROL', { projectCode: PROJECT, mac: MAC, cmd: 'OCSWITCH', value1: 'close', value2: '1,2' });
    await t.http.post('/__sandbox/reset').expect(200);
    token = (await getTokens(t.http)).accessToken;
    expect((await call('GET_BOX_CHANNELS_OC', { projectCode: PROJECT, mac: MAC })).data.map((c: { oc: boolean }) => c.oc)).toEqual([true, false, true]);
  });

  test.each([
    [{ cmd: 'REBOOT', value1: 'open', value2: '1' }, 'invalid request: cmd must be OCSWITCH, got REBOOT'],
    [{ cmd: 'OCSWITCH', value1: 'toggle', value2: '1' }, 'invalid request: value1 must be open or close, got toggle'],
    [{ cmd: 'OCSWITCH', value1: 'open', value2: '9' }, `invalid request: value2: box ${MAC} has no channel 9`],
    [{ cmd: 'OCSWITCH', value1: 'open', value2: '3' }, `invalid request: value2: channel 3 of box ${MAC} does not allow remote control (enableNetCtrl false)`],
    [{ cmd: 'OCSWITCH', value1: 'open' }, 'invalid request: missing parameter value2'],
  ])('PUT_BOX_CONTROL refuses %j', async (extra, message) => {
    expect(await call('PUT_BOX_CONTROL', { projectCode: PROJECT, mac: MAC, ...extra })).toEqual({ success: false, code: '10001', message });
  });

  test('GET_BOX_ALARM filters by time and pages', async () => {
    const all = await call('GET_BOX_ALARM', { projectCode: PROJECT, mac: MAC, start: '2026-11-01 00:00', end: '2026-11-30 00:00', page: '1', pageSize: '1' });
    expect(all).toEqual({ success: true, code: '0', data: { total: 2, page: 1, pageSize: 1, datas: [{ time: '2026-11-01 09:15', addr: 2, type: 'OVERLOAD', info: 'Channel 2 overload' }] } });
    const second = await call('GET_BOX_ALARM', { projectCode: PROJECT, mac: MAC, start: '2026-11-02 00:00', end: '2026-11-03 00:00' });
    expect(second.data.total).toBe(1);
    expect(second.data.datas[0].type).toBe('LEAKAGE');
    expect((await call('GET_BOX_ALARM', { mac: MAC, start: 'yesterday', end: 'today' })).code).toBe('10001');
  });

  test('power readings', async () => {
    expect((await call('GET_BOX_MON_POWER', { projectCode: PROJECT, mac: MAC })).data).toEqual([{ month: '2026-10', power: 312.5 }]);
    expect((await call('GET_BOX_DAY_POWER', { projectCode: PROJECT, mac: MAC })).data).toEqual([{ day: '2026-11-01', power: 10.4 }]);
    expect((await call('GET_BOX_HOUR_POWER', { projectCode: PROJECT, mac: MAC })).data).toEqual([{ hour: '2026-11-01 08', power: 0.6 }]);
  });
});
