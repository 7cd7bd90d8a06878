import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOP_INJECTED } from '../compare/overlays.js';
import { runCliAsync } from '../helpers/cli.js';
import { APP, REDIRECT_URI, USER } from '../helpers/sop.js';
import { issuedValues, jsonLines, parityRig, readRecording, secretsIn, sentAnswers, unlike, type ParityRig } from './lib/parity.js';
import { APP_KEY_PKCS1, javaSdk, pythonSdk, type SdkAnswer } from './lib/sop-sdk.js';
import { QUICK_JVM } from './lib/tools.js';

/**
 * Issue 21 (a stand-in for the real platform) with SOP's own SDKs (python/sop_upload.py, java/SopClient.java, unchanged): a user with a real
 * account records their SDK's traffic through `--upstream sop=… --record`, then runs `sandbox compare`. The
 * "real platform" is a stand-in sandbox whose overlay changes Assumed settings (test/compare/overlays.ts).
 */

const SDKS = {
  python: (base: string, method: string, biz: object) => pythonSdk(`${base}/`, method, biz),
  java: (base: string, method: string, biz: object) => javaSdk(`${base}/`, method, biz, { jvm: QUICK_JVM }),
};
type Sdk = keyof typeof SDKS;

/** The login page's form, posted as a browser posts it: the code comes back in the 302's Location. */
async function browserLogin(base: string): Promise<string> {
  const res = await fetch(`${base}/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ response_type: 'code', client_id: APP.appId, redirect_uri: REDIRECT_URI, username: USER.username, password: USER.password }),
  });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`the login form answered ${res.status}: ${await res.text()}`);
  return new URL(location).searchParams.get('code')!;
}

/**
 * What an app does with the SDK after the user logged in: the code for tokens, a business call (the SDK
 * sends no app_auth_token: the platform refuses it), and a refresh. Each program runs once per call.
 */
async function sdkFlow(sdk: Sdk, base: string): Promise<SdkAnswer[]> {
  const run = SDKS[sdk];
  const code = await browserLogin(base);
  const token = await run(base, 'open.auth.token.app', { grant_type: 'authorization_code', code });
  const business = await run(base, 'sandbox.merchant.info.get', {});
  const refresh = await run(base, 'open.auth.token.app', { grant_type: 'refresh_token', refresh_token: token.node.app_refresh_token });
  return [token, business, refresh];
}

const ORDER: Sdk[] = ['python', 'java'];

async function driveAll(base: string): Promise<Record<Sdk, SdkAnswer[]>> {
  const out = {} as Record<Sdk, SdkAnswer[]>;
  for (const sdk of ORDER) out[sdk] = await sdkFlow(sdk, base);
  return out;
}

let rig: ParityRig;
let viaRecording: Record<Sdk, SdkAnswer[]>;
let direct: Record<Sdk, SdkAnswer[]>;

beforeAll(async () => {
  rig = await parityRig('sop-sdk', SOP_INJECTED);
  // The two runs talk to different sandboxes: side by side, each sandbox still sees its calls in order.
  [viaRecording, direct] = await Promise.all([driveAll(rig.front.sb.url), driveAll(rig.twin!.sb.url)]);
  await rig.finishRecording();
}, 120_000);
afterAll(() => rig?.close());

test('each SDK prints the same through the recording sandbox as from the stand-in itself, the stand-in’s settings included', () => {
  expect(viaRecording).toEqual(direct);
  const REQUEST_ID = expect.stringMatching(/^[0-9a-f]{32}$/);
  for (const sdk of ORDER) {
    const [token, business, refresh] = viaRecording[sdk];
    expect(token).toMatchObject({ status: 200, key: 'open_auth_token_app_response', signed: true });
    expect(token!.node).toMatchObject({ code: '10000', msg: 'Success', expires_in: 7200 });
    // The stand-in leaves error answers unsigned and words this one its own way.
    expect(business).toMatchObject({
      status: 200,
      key: 'sandbox_merchant_info_get_response',
      node: { code: '20001', sub_code: 'aop.invalid-app-auth-token', sub_msg: '应用授权令牌无效' },
      signed: false,
    });
    expect(refresh!.node).toMatchObject({ code: '10000', expires_in: 7200, request_id: REQUEST_ID });
    expect(refresh!.node.app_auth_token).not.toBe(token!.node.app_auth_token);
  }
  // The Java SDK checks the platform's signature over the node's exact text: the bytes came through unchanged.
  expect([viaRecording.java[0]!.signValid, viaRecording.java[2]!.signValid]).toEqual([true, true]);
});

test('every answer in the recording is what the stand-in sent, only its codes, tokens and signature masked', async () => {
  const lines = readRecording(rig.file);
  const sent = await sentAnswers(rig.real, 'sop');
  const exchanges = ORDER.flatMap(() => [
    ['authorize', undefined, 302],
    ['gateway', 'open.auth.token.app', 200],
    ['gateway', 'sandbox.merchant.info.get', 200],
    ['gateway', 'open.auth.token.app', 200],
  ]);
  expect(lines.map((l) => [l.endpoint, l.apiMethod, l.response?.status])).toEqual(exchanges);
  expect(sent.map((e) => [e.endpoint, e.apiMethod, e.status])).toEqual(exchanges);
  const tokens = await issuedValues(rig.real, 'sop');
  const issued = new Set(tokens.map((t) => t.value));
  const codes = tokens.filter((t) => t.kind === 'code').map((t) => t.value);
  lines.forEach((line, i) => {
    expect(line.seq).toBe(i + 1);
    if (line.endpoint === 'gateway') expect(unlike(line.response?.body?.json, sent[i]!.response.body, issued)).toEqual([]);
    else {
      // The 302's Location: the same callback, its code a placeholder of the one the stand-in issued.
      const location = new URL(line.response!.headers.find(([name]) => name.toLowerCase() === 'location')![1]);
      const code = location.searchParams.get('code')!;
      expect([`${location.origin}${location.pathname}`, code.length, issued.has(code)]).toEqual([REDIRECT_URI, codes[0]!.length, false]);
    }
  });
});

test('the recording holds no secret the SDKs used or the stand-in issued', async () => {
  const issued = await issuedValues(rig.real, 'sop');
  // Per SDK: a code, and two pairs (the code's and the refresh's).
  expect(issued.map((t) => t.kind).sort()).toEqual(['access', 'access', 'access', 'access', 'code', 'code', 'refresh', 'refresh', 'refresh', 'refresh']);
  expect(secretsIn(rig.file, [APP.privateKey, APP_KEY_PKCS1, USER.password, ...issued.map((t) => t.value)])).toEqual([]);
});

test('compare finds exactly the injected differences; the overlay it writes makes them vanish', async () => {
  const overlay = join(rig.dir, 'real-sop.json');
  const first = await runCliAsync(['compare', rig.file, '--json', '--write-fixture', overlay]);
  expect([first.status, first.stderr]).toEqual([1, '']);
  const expires = (path: string) => ['open.auth.token.app', path, '7200', '-1', ['sop', 'policy', 'lifetimes', 'access'], 7200];
  const perSdk = [
    expires('$.open_auth_token_app_response.expires_in'),
    [
      'sandbox.merchant.info.get',
      '$.sandbox_merchant_info_get_response.sub_msg',
      '"应用授权令牌无效"',
      '"无效的应用授权令牌"',
      ['sop', 'errors', 'aop.invalid-app-auth-token'],
      { zh: '应用授权令牌无效' },
    ],
    ['sandbox.merchant.info.get', '$.sign', 'missing', '344 characters of digits, lower-case, upper-case, signs (string)', ['sop', 'signErrors'], false],
    expires('$.open_auth_token_app_response.expires_in'),
  ];
  expect(jsonLines(first.stdout).map((d) => [d.apiMethod, d.path, d.real, d.sandbox, d.setting?.path, d.setting?.value])).toEqual([...perSdk, ...perSdk]);
  expect(JSON.parse(readFileSync(overlay, 'utf8'))).toEqual(SOP_INJECTED);
  const corrected = await runCliAsync(['compare', rig.file, '--fixtures', overlay]);
  expect([corrected.status, corrected.stdout, corrected.stderr]).toEqual([0, 'no difference in 8 exchange(s)\n', '']);
}, 60_000);

test('a stand-in with no overlay: the SDKs see its signed errors, and their recording compares with no difference', async () => {
  const plain = await parityRig('sop-sdk-plain', undefined, { twin: false });
  try {
    const answers = await driveAll(plain.front.sb.url);
    await plain.finishRecording();
    // Signed error answers now: the Java SDK's check over the node's exact text passes through the recording sandbox.
    expect(answers.java.map((a) => [a.node.code, a.signed, a.signValid])).toEqual([
      ['10000', true, true],
      ['20001', true, true],
      ['10000', true, true],
    ]);
    expect(answers.python.map((a) => [a.node.code, a.node.expires_in, a.signed])).toEqual([
      ['10000', -1, true],
      ['20001', undefined, true],
      ['10000', -1, true],
    ]);
    const run = await runCliAsync(['compare', plain.file]);
    expect([run.status, run.stdout, run.stderr]).toEqual([0, 'no difference in 8 exchange(s)\n', '']);
  } finally {
    await plain.close();
  }
}, 120_000);
