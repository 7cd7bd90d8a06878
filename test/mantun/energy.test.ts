import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { form, getTokens, MAC, MantunClient, PROJECT, routerParams } from '../helpers/mantun.js';

// 2026-11-21 10:30:00 in Asia/Shanghai.
const NOW = Date.parse('2026-11-21T10:30:00+08:00');
const BOX = { projectCode: PROJECT, mac: MAC };

interface Sandboxed {
  t: TestSandbox;
  token: string;
}

async function open(seed = 'test'): Promise<Sandboxed> {
  const t = await startTestSandbox({ seed });
  t.sb.clock.set(NOW);
  return { t, token: (await getTokens(t.http)).accessToken };
}

const call = async (s: Sandboxed, method: string, extra: Record<string, string> = {}) =>
  (
    await s.t.http
      .post('/invoke/router.as')
      .type('form')
      .send(form(routerParams(s.token, method, s.t.sb.clock.now(), extra)))
  ).body;

type Energy = { addr: number; electricity: number }[];
/** Hundredths of a kWh, the unit the figures are exact in. */
const centi = (list: Energy): number[] => list.map((e) => Math.round(e.electricity * 100));
const add = (a: number[], b: number[]): number[] => a.map((x, i) => x + b[i]!);

let s: Sandboxed;
beforeAll(async () => {
  s = await open();
});
beforeEach(async () => {
  await s.t.http.post('/__sandbox/reset').expect(200);
  s.t.sb.clock.set(NOW);
  s.token = (await getTokens(s.t.http)).accessToken;
});
afterAll(() => s.t.close());

describe('GET_BOX_MON_POWER, GET_BOX_DAY_POWER and GET_BOX_HOUR_POWER', () => {
  test('MON and DAY answer an array of {addr, electricity}, one per channel, electricity a non-negative number', async () => {
    for (const [method, extra] of [
      ['GET_BOX_MON_POWER', { year: '2026', month: '11' }],
      ['GET_BOX_DAY_POWER', { year: '2026', month: '11', day: '20' }],
    ] as const) {
      const res = await call(s, method, { ...BOX, ...extra });
      expect(res.success).toBe(true);
      expect(res.data.map((e: { addr: number }) => e.addr)).toEqual([1, 2, 3]);
      for (const e of res.data) {
        expect(Object.keys(e)).toEqual(['addr', 'electricity']);
        expect(typeof e.electricity).toBe('number');
        expect(e.electricity).toBeGreaterThanOrEqual(0);
      }
    }
  });

  test('HOUR answers an object keyed by the hour of the day (int() of each key) whose values are arrays of {addr, electricity}', async () => {
    const res = await call(s, 'GET_BOX_HOUR_POWER', { ...BOX, year: '2026', month: '11', day: '21' });
    // 10:30: hours 0 to 10 have begun.
    expect(Object.keys(res.data)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    for (const [hour, list] of Object.entries(res.data as Record<string, Energy>)) {
      expect(Number.isInteger(Number.parseInt(hour, 10))).toBe(true);
      expect(list.map((e) => e.addr)).toEqual([1, 2, 3]);
    }
    expect(await call(s, 'GET_BOX_HOUR_POWER', { ...BOX, year: '2026', month: '11', day: '21', hour: '9' })).toEqual({
      success: true,
      code: '0',
      data: { 9: res.data['9'] },
    });
    // An hour that has not begun has no figures yet.
    expect((await call(s, 'GET_BOX_HOUR_POWER', { ...BOX, year: '2026', month: '11', day: '21', hour: '11' })).data).toEqual({});
  });

  test('a day is the sum of its hours, a month the sum of its days; the hour under way counts so far', async () => {
    const day = { year: '2026', month: '11', day: '20' };
    const hours = (await call(s, 'GET_BOX_HOUR_POWER', { ...BOX, ...day })).data as Record<string, Energy>;
    expect(Object.keys(hours)).toHaveLength(24);
    const sumOfHours = Object.values(hours).map(centi).reduce(add);
    expect(centi((await call(s, 'GET_BOX_DAY_POWER', { ...BOX, ...day })).data)).toEqual(sumOfHours);

    let sumOfDays = [0, 0, 0];
    for (let d = 1; d <= 30; d++)
      sumOfDays = add(sumOfDays, centi((await call(s, 'GET_BOX_DAY_POWER', { ...BOX, year: '2026', month: '11', day: String(d) })).data));
    expect(centi((await call(s, 'GET_BOX_MON_POWER', { ...BOX, year: '2026', month: '11' })).data)).toEqual(sumOfDays);
    // Days after today have used nothing yet.
    expect(centi((await call(s, 'GET_BOX_DAY_POWER', { ...BOX, year: '2026', month: '11', day: '22' })).data)).toEqual([0, 0, 0]);

    // Lighting's typical hour 10 is 1.2 kWh (± 10 %): half of it has passed at 10:30.
    const [lighting] = centi(hours['10']!);
    const [lightingNow] = centi((await call(s, 'GET_BOX_HOUR_POWER', { ...BOX, year: '2026', month: '11', day: '21', hour: '10' })).data['10']);
    expect(lighting).toBeGreaterThanOrEqual(108);
    expect(lighting).toBeLessThanOrEqual(132);
    expect(lightingNow).toBeGreaterThanOrEqual(54);
    expect(lightingNow).toBeLessThanOrEqual(66);
  });

  test('a channel uses energy only while switched on: the off channel reads 0; switching moves the figures from then on', async () => {
    const today = { year: '2026', month: '11', day: '21' };
    const before = (await call(s, 'GET_BOX_HOUR_POWER', { ...BOX, ...today })).data as Record<string, Energy>;
    for (const list of Object.values(before)) expect(list[1]).toEqual({ addr: 2, electricity: 0 });
    // At 10:30 the lighting goes off and the air conditioning on; two hours later hour 11 shows it.
    expect((await call(s, 'PUT_BOX_CONTROL', { ...BOX, cmd: 'OCSWITCH', value1: 'close', value2: '1' })).success).toBe(true);
    expect((await call(s, 'PUT_BOX_CONTROL', { ...BOX, cmd: 'OCSWITCH', value1: 'open', value2: '2' })).success).toBe(true);
    s.t.sb.clock.advance('2h');
    // Access tokens live an hour.
    s.token = (await getTokens(s.t.http)).accessToken;
    const after = (await call(s, 'GET_BOX_HOUR_POWER', { ...BOX, ...today })).data as Record<string, Energy>;
    expect(Object.keys(after)).toHaveLength(13);
    // Hours before the switch are history: unchanged.
    for (let h = 0; h < 10; h++) expect(after[String(h)]).toEqual(before[String(h)]);
    const [light10, air10] = centi(after['10']!);
    const [light11, air11] = centi(after['11']!);
    expect(light11).toBe(0);
    // The air conditioning's typical hour is gW / 1000 = 4.4992 kWh (± 15 %); it ran half of hour 10.
    expect(air11).toBeGreaterThanOrEqual(382);
    expect(air11).toBeLessThanOrEqual(518);
    expect(air10).toBeGreaterThanOrEqual(191);
    expect(air10).toBeLessThanOrEqual(259);
    expect(light10).toBeGreaterThanOrEqual(54);
    expect(light10).toBeLessThanOrEqual(66);
  });

  test('the figures are fixture data: the same whatever the --seed, in every session; the hours vary', async () => {
    const query = { ...BOX, year: '2026', month: '11', day: '20' };
    const other = await open('another seed');
    try {
      const mine = (await call(s, 'GET_BOX_HOUR_POWER', query)).data as Record<string, Energy>;
      expect((await call(other, 'GET_BOX_HOUR_POWER', query)).data).toEqual(mine);
      // A session is a world of its own, with a seed of its own (and its own clock: 2026-11-20 has passed in both).
      await s.t.http.post('/__sandbox/sessions').send({ id: 'energy' }).expect(201);
      const session = new MantunClient(s.t.http, '/s/energy');
      const { accessToken } = await session.tokens();
      const sessionNow = (await s.t.http.get('/s/energy/__sandbox/clock')).body.epochMs as number;
      expect((await session.call(accessToken, 'GET_BOX_HOUR_POWER', sessionNow, query)).body.data).toEqual(mine);
      // The sockets' typical hour is gW / 1000 = 0.3987 kWh ± 10 %: not one figure repeated 24 times.
      const sockets = Object.values(mine).map((h) => h[2]!.electricity);
      expect(new Set(sockets).size).toBeGreaterThan(4);
      for (const x of sockets) expect(x).toBeGreaterThanOrEqual(0.35);
      for (const x of sockets) expect(x).toBeLessThanOrEqual(0.44);
    } finally {
      await other.t.close();
    }
  });

  test('year, month and day default to the platform’s today; a bad one is refused', async () => {
    expect((await call(s, 'GET_BOX_DAY_POWER', BOX)).data).toEqual((await call(s, 'GET_BOX_DAY_POWER', { ...BOX, year: '2026', month: '11', day: '21' })).data);
    expect((await call(s, 'GET_BOX_MON_POWER', { ...BOX, year: '2026' })).data).toEqual(
      (await call(s, 'GET_BOX_MON_POWER', { ...BOX, year: '2026', month: '11' })).data,
    );
    expect(await call(s, 'GET_BOX_MON_POWER', { ...BOX, year: '2026', month: '13' })).toEqual({
      success: false,
      code: '10001',
      message: 'invalid request: month must be a whole number from 1 to 12, got 13',
    });
    expect(await call(s, 'GET_BOX_DAY_POWER', { ...BOX, year: '2026', month: '2', day: '30' })).toEqual({
      success: false,
      code: '10001',
      message: 'invalid request: day must be a day of 2026-02, got 30',
    });
    expect(await call(s, 'GET_BOX_HOUR_POWER', { ...BOX, hour: '24' })).toEqual({
      success: false,
      code: '10001',
      message: 'invalid request: hour must be a whole number from 0 to 23, got 24',
    });
  });
});
