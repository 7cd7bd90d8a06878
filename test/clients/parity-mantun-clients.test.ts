import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mantunClientSecret } from '../../src/index.js';
import { MANTUN_INJECTED } from '../compare/overlays.js';
import { runCliAsync } from '../helpers/cli.js';
import { APP, MAC, PROJECT, USER } from '../helpers/mantun.js';
import { issuedValues, jsonLines, parityRig, readRecording, secretsIn, sentAnswers, unlike, type ParityRig } from './lib/parity.js';
import { QUICK_JVM, java, python } from './lib/tools.js';

/**
 * Issue 21 (a stand-in for the real platform) with the Mantun clients the suite runs (python/mantun_client.py, java/MantunClient.java,
 * unchanged): their traffic recorded through `--upstream mantun=… --record` in front of a stand-in for the
 * real platform whose overlay changes Assumed settings (test/compare/overlays.ts), then `sandbox compare`.
 */

const WRONG_PASSWORD = 'not-the-password';
const app = [APP.appKey, APP.appSecret, APP.redirectUri, USER.uname];
const py = (base: string, passwd: string, command: string, args: string[] = []) => python('mantun_client.py', [base, ...app, passwd, command, ...args]);
const jv = (base: string, passwd: string, command: string, args: string[] = []) =>
  java('MantunClient.java', [base, ...app, passwd, command, ...args], undefined, QUICK_JVM);

/** Each program once per command, in this order (a command logs in afresh: code, then token). */
async function drive(base: string): Promise<Record<string, unknown>[]> {
  return [
    await py(base, WRONG_PASSWORD, 'code'),
    await py(base, USER.passwd, 'token'),
    await py(base, USER.passwd, 'refresh'),
    await py(base, USER.passwd, 'call', [JSON.stringify({ method: 'GET_PROJECTS' })]),
    await jv(base, WRONG_PASSWORD, 'realtime'),
    await jv(base, USER.passwd, 'realtime', [PROJECT, MAC]),
  ];
}

const EXCHANGES = [
  ['authverify2.as', undefined],
  ['authverify2.as', undefined],
  ['token.as', undefined],
  ['authverify2.as', undefined],
  ['token.as', undefined],
  ['refresh.as', undefined],
  ['authverify2.as', undefined],
  ['token.as', undefined],
  ['router.as', 'GET_PROJECTS'],
  ['authverify2.as', undefined],
  ['authverify2.as', undefined],
  ['token.as', undefined],
  ['router.as', 'GET_BOX_CHANNELS_REALTIME'],
];

let rig: ParityRig;
let viaRecording: Record<string, unknown>[];
let direct: Record<string, unknown>[];

beforeAll(async () => {
  rig = await parityRig('mantun-clients', MANTUN_INJECTED);
  // Two sandboxes, side by side: each still sees its calls in order.
  [viaRecording, direct] = await Promise.all([drive(rig.front.sb.url), drive(rig.twin!.sb.url)]);
  await rig.finishRecording();
}, 120_000);
afterAll(() => rig?.close());

test('each client prints the same through the recording sandbox as from the stand-in itself, and reads the stand-in’s settings', () => {
  expect(viaRecording).toEqual(direct);
  const [pyWrong, pyToken, pyRefresh, pyCall, javaWrong, javaRealtime] = viaRecording;
  // The refusal's `success` is the text "false": Python's truthiness takes it for a success, and its code for the code.
  expect(pyWrong).toEqual({ code: '20004' });
  expect(pyToken).toEqual({
    token: { accessToken: expect.stringMatching(/^[0-9a-f]{32}$/), refreshToken: expect.stringMatching(/^[0-9a-f]{32}$/), expiresIn: 7200 },
  });
  expect(pyRefresh).toEqual({ refreshed: ['accessToken', 'expiresIn', 'refreshToken', 'tokenType'] });
  expect(pyCall).toMatchObject({ ok: true, answer: { success: true, code: '0' } });
  // "true".equals(getString("success")) is false for the text too: the Java client stops where the platform refused.
  expect(javaWrong).toEqual({ failedAt: 'authverify2.as', answer: { success: 'false', code: '20004', message: '用户名或密码错误' } });
  // updateTime, read in the JVM's zone, is the stand-in's frozen clock (to its minute): the same in both runs.
  const now = rig.real.sb.clock.now();
  expect(javaRealtime).toEqual({
    accessToken: expect.stringMatching(/^[0-9a-f]{32}$/),
    channels: [
      { title: 'Lighting', oc: 'true', aW: 1193.7, updated: expect.any(Number) },
      { title: 'Air conditioning', oc: 'false', aW: 0, updated: expect.any(Number) },
      { title: 'Sockets', oc: 'true', aW: 398.7, updated: expect.any(Number) },
    ],
  });
  for (const c of (javaRealtime as { channels: { updated: number }[] }).channels)
    expect([now - c.updated >= 0, now - c.updated < 60_000]).toEqual([true, true]);
});

test('every answer in the recording is what the stand-in sent, only its codes and tokens masked', async () => {
  const lines = readRecording(rig.file);
  const sent = await sentAnswers(rig.real, 'mantun');
  expect(lines.map((l) => [l.endpoint, l.apiMethod])).toEqual(EXCHANGES);
  expect(sent.map((e) => [e.endpoint, e.apiMethod])).toEqual(EXCHANGES);
  const issued = new Set((await issuedValues(rig.real, 'mantun')).map((t) => t.value));
  lines.forEach((line, i) => {
    expect([line.seq, line.response?.status]).toEqual([i + 1, sent[i]!.status]);
    expect(unlike(line.response?.body?.json, sent[i]!.response.body, issued)).toEqual([]);
  });
});

test('the recording holds no secret the clients used or the stand-in issued', async () => {
  const issued = await issuedValues(rig.real, 'mantun');
  expect(issued.filter((t) => t.kind === 'code')).toHaveLength(4);
  // The client_secret of token.as and refresh.as: md5 over the code or refresh token and the app secret.
  const clientSecrets = issued.flatMap((t) =>
    t.kind === 'code' || t.kind === 'refresh'
      ? [mantunClientSecret(APP.appKey, t.kind === 'code' ? 'authorization_code' : 'refresh_token', APP.redirectUri, t.value, APP.appSecret)]
      : [],
  );
  expect(
    secretsIn(rig.file, [APP.appSecret, APP.appSecret.toLowerCase(), USER.passwd, WRONG_PASSWORD, ...issued.map((t) => t.value), ...clientSecrets]),
  ).toEqual([]);
});

test('compare finds exactly the injected differences; the overlay it writes makes them vanish', async () => {
  const overlay = join(rig.dir, 'real-mantun.json');
  const first = await runCliAsync(['compare', rig.file, '--json', '--write-fixture', overlay]);
  expect([first.status, first.stderr]).toEqual([1, '']);
  const credentials = { path: ['mantun', 'errors', 'invalid_credentials'], value: { code: '20004', message: '用户名或密码错误' } };
  const refusal = [
    ['authverify2.as', '$.success', '"false" (string)', 'false (boolean)', { path: ['mantun', 'authverifyFailureSuccess'], value: 'string' }],
    ['authverify2.as', '$.code', '"20004"', '"10004"', credentials],
    ['authverify2.as', '$.message', '"用户名或密码错误"', '"uname or passwd is incorrect"', credentials],
  ];
  const lifetime = (endpoint: string) => [endpoint, '$.data.expiresIn', '7200', '3600', { path: ['mantun', 'policy', 'lifetimes', 'access'], value: 7200 }];
  expect(jsonLines(first.stdout).map((d) => [d.endpoint, d.path, d.real, d.sandbox, d.setting])).toEqual([
    ...refusal,
    lifetime('token.as'),
    lifetime('token.as'),
    lifetime('refresh.as'),
    lifetime('token.as'),
    ...refusal,
    lifetime('token.as'),
  ]);
  expect(JSON.parse(readFileSync(overlay, 'utf8'))).toEqual(MANTUN_INJECTED);
  const corrected = await runCliAsync(['compare', rig.file, '--fixtures', overlay]);
  expect([corrected.status, corrected.stdout, corrected.stderr]).toEqual([0, `no difference in ${EXCHANGES.length} exchange(s)\n`, '']);
}, 60_000);

test('a stand-in with no overlay: the clients read its refusal as before, and their recording compares with no difference', async () => {
  const plain = await parityRig('mantun-clients-plain', undefined, { twin: false });
  try {
    const [pyWrong, , , , javaWrong] = await drive(plain.front.sb.url);
    await plain.finishRecording();
    // The platform's own refusal, as the Python client prints the body's text: byte for byte through the recording sandbox.
    expect(pyWrong).toEqual({ error: 'MantunAuthError: unexpected body: {"success":false,"code":"10004","message":"uname or passwd is incorrect"}' });
    expect(javaWrong).toEqual({ failedAt: 'authverify2.as', answer: { success: false, code: '10004', message: 'uname or passwd is incorrect' } });
    const run = await runCliAsync(['compare', plain.file]);
    expect([run.status, run.stdout, run.stderr]).toEqual([0, `no difference in ${EXCHANGES.length} exchange(s)\n`, '']);
  } finally {
    await plain.close();
  }
}, 120_000);
