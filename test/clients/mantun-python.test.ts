import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { python } from './lib/tools.js';

/**
 * A Python client of the real Mantun platform (python/mantun_client.py, requests) against the sandbox:
 * success is Python truthiness, fields are read by key, energy by int(hour), alarms by typeNumber == 9.
 */
const APP = ['O000000049', '3F2A9C4E8B1D7F6A0C5E9B2D4F8A1C3E', 'http://you-domain/xxx.jsp'];
const PROJECT = 'P00000000009';
const MAC = '187ED5310A2C';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const client = <T = Record<string, unknown>>(command: string, args: string[] = [], passwd = 'sandbox123', tz?: string) =>
  python<T>('mantun_client.py', [t.sb.url, ...APP, '13800000000', passwd, command, ...args], tz);

/** Yesterday in Asia/Shanghai, as [year, month, day] (the sandbox clock is the host's): a day whose figures are final. */
function yesterday(): [string, string, string] {
  const d = new Date(t.sb.clock.now() + 8 * 3_600_000 - 86_400_000);
  return [String(d.getUTCFullYear()), String(d.getUTCMonth() + 1), String(d.getUTCDate())];
}

describe('Mantun, from a Python client of the real platform', () => {
  test('authverify2.as → token.as: the code passes the truthiness check, the token carries expiresIn as a number', async () => {
    const out = await client<{ code: string }>('code');
    expect(out.code).toMatch(/^[0-9a-f]{32}$/);
    const token = await client<{ token: { accessToken: string; refreshToken: string; expiresIn: number } }>('token');
    expect(token.token).toEqual({
      accessToken: expect.stringMatching(/^[0-9a-f]{32}$/),
      refreshToken: expect.stringMatching(/^[0-9a-f]{32}$/),
      expiresIn: 3600,
    });
  });

  test('a wrong password is a failure to `not success or not code`: the client raises at authverify2.as, not one step later', async () => {
    expect(await client('code', [], 'wrong')).toEqual({
      error: 'MantunAuthError: unexpected body: {"success":false,"code":"10004","message":"uname or passwd is incorrect"}',
    });
  });

  test('token.as and refresh.as refusals read as failures too', async () => {
    expect(await client('token', ['0123456789abcdef0123456789abcdef'])).toEqual({
      error: 'MantunAuthError: unexpected body: {"success":false,"code":"10010","message":"code is invalid"}',
    });
    expect(await client('refresh', ['0123456789abcdef0123456789abcdef'])).toEqual({
      error: 'MantunAuthError: unexpected body: {"success":false,"code":"10020","message":"refresh_token is invalid"}',
    });
    expect(await client('refresh')).toEqual({ refreshed: ['accessToken', 'expiresIn', 'refreshToken', 'tokenType'] });
  });

  test('router.as reads: channel["aW"], data[0].oc, int() of the hour keys, {addr, electricity}, typeNumber == 9, alarm times', async () => {
    const [year, month, day] = yesterday();
    const out = await client<{
      realtime: { addr: number; mac: string; aW: number; gW: number; oc: boolean; power: number; updated: number }[];
      oc: boolean;
      hours: Record<string, Record<string, number>>;
      day: Record<string, number>;
      month: Record<string, number>;
      alarms: { id: number; addr: number; node: string; type: string; code: number; at: string; info: string }[];
    }>('read', [PROJECT, MAC, year, month, day, '2026-11-30 00:00']);
    expect(out.realtime.map((c) => [c.addr, c.mac, c.aW, c.gW, c.oc, c.power])).toEqual([
      [1, MAC, 1193.7, 1193.7, true, 1.194],
      [2, MAC, 0, 0, false, 0],
      [3, MAC, 398.7, 398.7, true, 0.399],
    ]);
    // updateTime parsed as local time by strptime: within the last minute of the clock.
    for (const c of out.realtime) expect(Math.abs(c.updated * 1000 - t.sb.clock.now())).toBeLessThanOrEqual(61_000);
    expect(out.oc).toBe(true);
    expect(Object.keys(out.hours).map(Number)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    // The client's own sums: a day is its hours, in hundredths of a kWh.
    const centi = (x: number) => Math.round(x * 100);
    for (const addr of ['1', '2', '3']) {
      expect(centi(out.day[addr]!)).toBe(Object.values(out.hours).reduce((sum, h) => sum + centi(h[addr]!), 0));
      expect(out.month[addr]).toBeGreaterThanOrEqual(out.day[addr]!);
    }
    expect(out.day['2']).toBe(0);
    // The typeNumber 9 entry (a passed self-test) is skipped by the client's own `== 9`; the calmed one is not listed.
    expect(out.alarms).toEqual([
      { id: 1, addr: 2, node: 'Air conditioning', type: '过载报警', code: 4, at: '2026-11-01T09:15:00', info: 'Air conditioning 过载报警' },
      { id: 2, addr: 1, node: 'Lighting', type: '漏电报警', code: 3, at: '2026-11-02T14:40:00', info: 'Lighting 漏电报警' },
    ]);
  });

  test('PUT_BOX_CONTROL answers "0" and the next realtime read shows the channel off with no power', async () => {
    const switched = await client('switch', [PROJECT, MAC, 'close', '1']);
    expect(switched).toEqual({ switched: true, message: '成功' });
    const [year, month, day] = yesterday();
    const out = await client<{ realtime: { aW: number; oc: boolean; power: number }[]; oc: boolean }>('read', [PROJECT, MAC, year, month, day]);
    expect(out.realtime[0]).toMatchObject({ aW: 0, oc: false, power: 0 });
    expect(out.oc).toBe(false);
    await t.http.post('/__sandbox/reset').expect(200);
  });

  test('a router.as refusal is `code != "0"` to the client', async () => {
    const out = await client<{ ok: boolean; answer: unknown }>('call', [JSON.stringify({ method: 'GET_BOX', mac: 'FFFF' })]);
    expect(out).toEqual({ ok: false, answer: { success: false, code: '10043', message: 'not found: mac FFFF' } });
  });
});
