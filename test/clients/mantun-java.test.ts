import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { QUICK_JVM, java } from './lib/tools.js';

/**
 * A Java client of the real Mantun platform (java/MantunClient.java) against the sandbox: success is
 * "true".equals(json.getString("success")) at authverify2.as and "0".equals(json.getString("code")) after.
 */
const APP = ['O000000049', '3F2A9C4E8B1D7F6A0C5E9B2D4F8A1C3E', 'http://you-domain/xxx.jsp'];

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const client = (command: string, passwd = 'sandbox123', extra: string[] = []) =>
  java('MantunClient.java', [t.sb.url, ...APP, '13800000000', passwd, command, ...extra], undefined, QUICK_JVM);

describe('Mantun, from a Java client of the real platform', () => {
  test('code → token → GET_BOX_CHANNELS_REALTIME, read with string equality and SimpleDateFormat', async () => {
    const out = await client('realtime', 'sandbox123', ['P00000000009', '187ED5310A2C']);
    expect(out).toEqual({
      accessToken: expect.stringMatching(/^[0-9a-f]{32}$/),
      channels: [
        { title: 'Lighting', oc: 'true', aW: 1193.7, updated: expect.any(Number) },
        { title: 'Air conditioning', oc: 'false', aW: 0, updated: expect.any(Number) },
        { title: 'Sockets', oc: 'true', aW: 398.7, updated: expect.any(Number) },
      ],
    });
    // updateTime parsed in the JVM's zone (Asia/Shanghai) lands on the sandbox clock's last minute.
    for (const c of (out as { channels: { updated: number }[] }).channels) expect(Math.abs(c.updated - t.sb.clock.now())).toBeLessThanOrEqual(61_000);
  });

  test('a wrong password: "true".equals(getString("success")) is false, the client stops at authverify2.as', async () => {
    expect(await client('realtime', 'wrong')).toEqual({
      failedAt: 'authverify2.as',
      answer: { success: false, code: '10004', message: 'uname or passwd is incorrect' },
    });
  });

  test('token.as and router.as refusals: "0".equals(getString("code")) is false', async () => {
    expect(await client('bad-code')).toEqual({ failedAt: 'token.as', answer: { success: false, code: '10010', message: 'code is invalid' } });
    expect(await client('unknown-box', 'sandbox123', ['P00000000009'])).toEqual({
      accessToken: expect.stringMatching(/^[0-9a-f]{32}$/),
      failedAt: 'router.as',
      answer: { success: false, code: '10043', message: 'not found: mac FFFF' },
    });
  });
});
