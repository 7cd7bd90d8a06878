import { mantunSign } from '../../src/index.js';
import { startTestSandbox, testFixture, type TestSandbox } from '../helpers/sandbox.js';
import { APP, form, getTokens, PROJECT } from '../helpers/mantun.js';

/**
 * router.as and its timestamp (docs/platforms/mantun.md#assumed-choices). A public Java client of 2017 signs
 * every call with the one timestamp `20170504160410`, and its history shows GET_BOXES answered with it 39 to 54
 * days later: the real platform checks no window. So the sandbox checks none unless a fixture sets one.
 */

const FIXED = '20170504160410';

/** The 2017 client's call: its fixed timestamp, signed as it signs; the answer read as it reads it (`data` as a list of boxes). */
async function getBoxes(t: TestSandbox, accessToken: string): Promise<{ success: unknown; code: unknown; data: unknown }> {
  const params: Record<string, string> = { access_token: accessToken, client_id: APP.appKey, method: 'GET_BOXES', projectCode: PROJECT, timestamp: FIXED };
  params.sign = mantunSign(params, APP.appSecret);
  const res = await t.http.post('/invoke/router.as').type('form').send(form(params));
  expect(res.status).toBe(200);
  return JSON.parse(res.text);
}

test('by default a timestamp years old is accepted: the client gets its boxes, not a null data', async () => {
  const t = await startTestSandbox();
  try {
    // 54 days on, as in the client's history (and ten years after its timestamp): a fresh login, the same fixed timestamp.
    t.sb.clock.advance('54d');
    const { accessToken } = await getTokens(t.http);
    const answer = await getBoxes(t, accessToken);
    expect([answer.success, answer.code]).toEqual([true, '0']);
    expect((answer.data as { mac: string }[]).map((box) => box.mac)).toEqual(['187ED5310A2C', '187ED5310B3D']);
  } finally {
    await t.close();
  }
});

test('a fixture’s timestampToleranceSeconds turns the window on: the same call is refused, and the journal says by how much', async () => {
  const t = await startTestSandbox({ fixtures: [testFixture('mantun-timestamp-window.json')] });
  try {
    const { accessToken } = await getTokens(t.http);
    expect(await getBoxes(t, accessToken)).toEqual({
      success: false,
      code: '10041',
      message: 'timestamp is missing, malformed (yyyyMMddHHmmss) or too far from server time',
    });
    const [entry] = t.sb.requests({ platform: 'mantun', endpoint: 'router.as' });
    expect(entry!.note).toMatch(/^timestamp .* behind the platform time .*; it must be within 600 s either way/);
  } finally {
    await t.close();
  }
});

test('a timestamp that is not yyyyMMddHHmmss is refused with or without a window', async () => {
  const t = await startTestSandbox();
  try {
    const { accessToken } = await getTokens(t.http);
    const params: Record<string, string> = { client_id: APP.appKey, method: 'GET_PROJECTS', access_token: accessToken, timestamp: '2017-05-04 16:04:10' };
    params.sign = mantunSign(params, APP.appSecret);
    expect((await t.http.post('/invoke/router.as').type('form').send(form(params))).body.code).toBe('10041');
  } finally {
    await t.close();
  }
});
