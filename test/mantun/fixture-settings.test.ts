import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../../src/sandbox.js';
import { LoadError } from '../../src/core/validation/load-error.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { APP, form, USER } from '../helpers/mantun.js';

/** A fixture file holding this `mantun` section, laid over the built-in fixtures. */
function mantunFixture(section: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mantun-fixture-')), 'mantun.json');
  writeFileSync(file, JSON.stringify({ mantun: section }));
  return file;
}

async function refusal(section: Record<string, unknown>): Promise<string[]> {
  const file = mantunFixture(section);
  try {
    await Sandbox.create({ fixtures: [file] });
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    return (e as LoadError).message.split('\n').map((line) => line.slice(file.length + 2));
  }
  throw new Error('the fixture was accepted');
}

const box = (channels: unknown[], alarms: unknown[] = []) => ({
  projects: [{ projectCode: 'P1', projectName: 'p', boxes: [{ mac: 'M1', name: 'b', channels, alarms }] }],
});

describe('authverifyFailureSuccess: the type of "success" in authverify2.as refusals', () => {
  test('"string" restores "success":"false" (the type of its success answer); other endpoints keep the boolean', async () => {
    const t = await startTestSandbox({ fixtures: [mantunFixture({ authverifyFailureSuccess: 'string' })] });
    try {
      const params = { response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: 'wrong' };
      expect((await t.http.post('/oauth/authverify2.as').type('form').send(form(params))).body).toEqual({
        success: 'false',
        code: '10004',
        message: 'uname or passwd is incorrect',
      });
      const token = { client_id: APP.appKey, client_secret: 'x', grant_type: 'authorization_code', redirect_uri: APP.redirectUri, code: 'c' };
      expect((await t.http.post('/oauth/token.as').type('form').send(form(token))).body.success).toBe(false);
    } finally {
      await t.close();
    }
  });

  test('any other value is refused at load', async () => {
    expect(await refusal({ authverifyFailureSuccess: 'number' })).toEqual([
      'mantun.authverifyFailureSuccess: expected "boolean" (false) or "string" ("false") (got "number")',
    ]);
  });
});

describe('the fixture schema is strict and says what is expected', () => {
  test('an error code a client could take for success ("0") or for an authorization code (32 hex) is refused', async () => {
    const why = 'an error code must not be "0" (the success code) nor 32 hex characters (an authorization code): clients would read the refusal as a success';
    expect(await refusal({ errors: { invalid_credentials: { code: '0' } } })).toEqual([`mantun.errors.invalid_credentials.code: ${why}`]);
    expect(await refusal({ errors: { invalid_code: { code: '5198a7417068bd560d9ec86bdf4eb9e7' } } })).toEqual([`mantun.errors.invalid_code.code: ${why}`]);
  });

  test('a misspelt reading, a reading of the wrong type and a short hourly profile are named with their path', async () => {
    expect(await refusal(box([{ addr: 1, title: 'x', oc: true, aw: 12, aV: '220', energy: { hourlyKwh: [1, 2] } }]))).toEqual([
      'mantun.projects[0].boxes[0].channels[0].aV: expected number, got "220"',
      'mantun.projects[0].boxes[0].channels[0].energy.hourlyKwh: expected 24 numbers: the kWh the channel uses in each hour of the day (0–23, platform local time) while on (got [1,2])',
      'mantun.projects[0].boxes[0].channels[0]: unknown field "aw" (did you mean "aW"?)',
    ]);
  });

  test('"extra" carries fields beyond the documented ones, not documented ones', async () => {
    expect(await refusal(box([{ addr: 1, title: 'x', oc: true, extra: { aW: 1 } }]))).toEqual([
      expect.stringMatching(
        /^mantun\.projects\[0\]\.boxes\[0\]\.channels\[0\]\.extra: "extra" holds fields beyond the documented ones; set documented fields \(addr, mac, .*, nT\) directly$/,
      ),
    ]);
  });

  test('extra fields and defaults reach the answers', async () => {
    const t = await startTestSandbox({
      fixtures: [
        mantunFixture({
          ...box(
            [{ addr: 5, title: 'Pump', oc: true, gW: 750, extra: { breakerModel: 'MT-63' } }],
            [
              { time: '2026-01-02 03:04:05', typeNumber: 7 },
              { time: '2026-01-03 00:00', typeNumber: 99, auto_id: 1 },
            ],
          ),
        }),
      ],
    });
    try {
      const { getTokens, routerParams } = await import('../helpers/mantun.js');
      const token = (await getTokens(t.http)).accessToken;
      const call = async (method: string) =>
        (
          await t.http
            .post('/invoke/router.as')
            .type('form')
            .send(form(routerParams(token, method, t.sb.clock.now(), { projectCode: 'P1', mac: 'M1' })))
        ).body.data;
      const [pump] = await call('GET_BOX_CHANNELS_REALTIME');
      expect(pump).toMatchObject({ addr: 5, mac: 'M1', title: 'Pump', gW: 750, power: 0.75, breakerModel: 'MT-63' });
      expect(Object.keys(pump).at(-1)).toBe('breakerModel');
      expect((await call('GET_BOX_ALARM')).datas).toEqual([
        // auto_id 1 is the second alarm's own, so the first is numbered past it.
        { auto_id: 2, node: 'Pump', type: '温度报警', time: '2026-01-02 03:04', typeNumber: 7, addr: 5, info: 'Pump温度报警' },
        { auto_id: 1, node: 'Pump', type: '报警', time: '2026-01-03 00:00', typeNumber: 99, addr: 5, info: 'Pump报警' },
      ]);
    } finally {
      await t.close();
    }
  });
});
