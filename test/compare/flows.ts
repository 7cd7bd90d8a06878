import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { mantunClientSecret, mantunSign, mantunTimestamp, usercenterMd5Password, usercenterShaPassword, zjrcClientSign } from '../../src/index.js';
import { runCliInProcess } from '../helpers/cli.js';
import { APP, USER, form } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP as ZJRC_APP, GATEWAY as ZJRC_GATEWAY, M, USER as ZJRC_USER, body as zjrcBody } from '../helpers/zjrc.js';
import { CLIENT as UC_CLIENT, USER as UC_USER } from '../helpers/usercenter.js';
import { APP as SOP_APP, REDIRECT_URI as SOP_REDIRECT, USER as SOP_USER, gatewayParams, tokenBiz } from '../helpers/sop.js';

/**
 * `sandbox compare <args>` in this process, shaped as the spawned runs were (status, stdout, stderr). The
 * parity tests in test/clients run the real bin, so the process's own streams and exit code stay held to it.
 */
export async function compareCli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runCliInProcess(['compare', ...args]);
  return { status: code, stdout, stderr };
}

/** A fresh folder for one test's files (recordings, overlays). */
export const scratch = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** A fixture overlay written to a file: what the stand-in for the real platform is started with. */
export function overlayFile(dir: string, name: string, overlay: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(overlay));
  return file;
}

/**
 * The stand-in real platform (a sandbox started with `overlay`), and a sandbox forwarding every platform to it
 * and recording to `file`: what a user with a real account runs.
 */
export async function recordingPair(
  dir: string,
  overlay: Record<string, unknown> | undefined,
  file: string,
): Promise<{ real: TestSandbox; front: TestSandbox }> {
  const real = await startTestSandbox({ seed: 'the-real-platform', ...(overlay ? { fixtures: [overlayFile(dir, 'real-platform.json', overlay)] } : {}) });
  const front = await startTestSandbox({ upstream: ['mantun', 'usercenter', 'sop', 'zjrc'].map((id) => `${id}=${real.sb.url}`), record: file });
  return { real, front };
}

/** Mantun's login form, posted as its clients post it. */
export const mantunLogin = (base: string, passwd: string) =>
  request(base)
    .post('/oauth/authverify2.as')
    .type('form')
    .send(form({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd }));

/** Mantun's code for a token pair, with the client_secret its clients compute. */
export const mantunTokenCall = (base: string, code: string) =>
  request(base)
    .post('/oauth/token.as')
    .type('form')
    .send(
      form({
        client_id: APP.appKey,
        client_secret: mantunClientSecret(APP.appKey, 'authorization_code', APP.redirectUri, code, APP.appSecret),
        grant_type: 'authorization_code',
        redirect_uri: APP.redirectUri,
        code,
      }),
    );

/**
 * Mantun as its public clients drive it, by hand-built form posts: a mistyped password, then the code, the
 * token pair, a signed GET_PROJECTS call (and with `staleSeconds` the same call stamped that long ago), and a
 * refresh. Each client computes its own signatures.
 */
export async function mantunFlow(base: string, now: () => number, opts: { staleSeconds?: number } = {}): Promise<void> {
  const http = request(base);
  await mantunLogin(base, 'wrong-password');
  const code = (await mantunLogin(base, USER.passwd)).body.code as string;
  const token = await mantunTokenCall(base, code);
  const { accessToken, refreshToken } = token.body.data as { accessToken: string; refreshToken: string };
  const router: Record<string, string> = { client_id: APP.appKey, method: 'GET_PROJECTS', access_token: accessToken, timestamp: mantunTimestamp(now()) };
  router.sign = mantunSign(router, APP.appSecret);
  await http.post('/invoke/router.as').type('form').send(form(router));
  if (opts.staleSeconds !== undefined) {
    // The same call stamped that long ago, as a client that keeps one timestamp does.
    const stale: Record<string, string> = { ...router, timestamp: mantunTimestamp(now() - opts.staleSeconds * 1000) };
    stale.sign = mantunSign(stale, APP.appSecret);
    await http.post('/invoke/router.as').type('form').send(form(stale));
  }
  await http
    .post('/oauth/refresh.as')
    .type('form')
    .send(
      form({
        client_id: APP.appKey,
        client_secret: mantunClientSecret(APP.appKey, 'refresh_token', APP.redirectUri, refreshToken, APP.appSecret),
        grant_type: 'refresh_token',
        redirect_uri: APP.redirectUri,
        refresh_token: refreshToken,
      }),
    );
}

/**
 * SOP as its SDKs drive it: the login form's post (a 302 with the code), open.auth.token.app, a business call
 * with the app_auth_token, the same call with a token the platform never issued, and a refresh. Each gateway
 * call is signed with the app's private key, as alipay-sdk does.
 */
export async function sopFlow(base: string, now: () => number): Promise<void> {
  const http = request(base);
  const login = await http
    .post('/oauth2/authorize')
    .type('form')
    .send(form({ response_type: 'code', client_id: SOP_APP.appId, redirect_uri: SOP_REDIRECT, username: SOP_USER.username, password: SOP_USER.password }));
  const code = new URL(login.headers.location as string).searchParams.get('code')!;
  const token = await http
    .post('/')
    .type('form')
    .send(form(gatewayParams('open.auth.token.app', now(), tokenBiz({ grant_type: 'authorization_code', code }))));
  const node = token.body.open_auth_token_app_response as Record<string, string>;
  await http
    .post('/')
    .type('form')
    .send(form(gatewayParams('sandbox.merchant.info.get', now(), { app_auth_token: node.app_auth_token!, biz_content: '{}' })));
  await http
    .post('/')
    .type('form')
    .send(form(gatewayParams('sandbox.merchant.info.get', now(), { app_auth_token: 'never-issued', biz_content: '{}' })));
  await http
    .post('/')
    .type('form')
    .send(form(gatewayParams('open.auth.token.app', now(), tokenBiz({ grant_type: 'refresh_token', refresh_token: node.app_refresh_token! }))));
}

/**
 * UserCenter as its Java SDK drives it, JSON bodies with hashed passwords: a mistyped password, a login, the
 * user by token, the token check, and a refresh while the access token still lives.
 */
export async function usercenterFlow(base: string): Promise<void> {
  const http = request(base);
  const login = (password: string) =>
    http.post('/oauth/token').send({
      sysid: UC_CLIENT.sysid,
      username: UC_USER.username,
      client_id: UC_CLIENT.clientId,
      md5password: usercenterMd5Password(password),
      shapassword: usercenterShaPassword(password),
    });
  await login('wrong-password');
  const { accessToken, refreshToken } = JSON.parse((await login(UC_USER.password)).body.result as string) as { accessToken: string; refreshToken: string };
  await http.post('/user/getUserByToken').send({ accessToken });
  await http.post('/user/checkOauthToken').send({ accessToken });
  await http.post('/oauth/refreshAccessToken').send({ refresh_token: refreshToken });
}

/**
 * ZJRC as its SDK drives it: the authorize page's form post (a 302 with the code), code → openId and tokens with
 * clientSign, user info with the access token (and with `staleSeconds` the same call stamped that long ago), and
 * user info with a token the platform never issued.
 */
export async function zjrcFlow(base: string, now: () => number, opts: { staleSeconds?: number } = {}): Promise<void> {
  const http = request(base);
  const login = await http
    .post('/zjrc/oauth/authorize')
    .type('form')
    .send(new URLSearchParams({ appId: ZJRC_APP.appId, redirectUri: ZJRC_APP.redirectUri, scope: 'get_core_user_info', state: 's1', ...ZJRC_USER }).toString());
  const code = new URL(login.headers.location as string).searchParams.get('code')!;
  const gateway = (payload: Record<string, string>) => http.post(ZJRC_GATEWAY).set('content-type', 'application/json').send(JSON.stringify(payload));
  const tokens = await gateway(zjrcBody(M.openId, { code, clientSign: zjrcClientSign(code, ZJRC_APP.clientSecret) }, now()));
  const biz = JSON.parse(tokens.body.bizContent as string) as { openId: string; accessToken: string };
  const userinfo = (accessToken: string, at = now()) =>
    gateway(zjrcBody(M.userinfo, { openId: biz.openId, accessToken, scopeList: [{ scopeName: 'get_core_user_info' }] }, at));
  await userinfo(biz.accessToken);
  if (opts.staleSeconds !== undefined) await userinfo(biz.accessToken, now() - opts.staleSeconds * 1000);
  await userinfo('never-issued');
}

/**
 * How old a request's timestamp (Asia/Shanghai, `yyyyMMddHHmmss` or `yyyy-MM-dd HH:mm:ss`) was when the exchange was
 * recorded, in whole seconds (a timestamp has no finer), and as compare words an age under an hour: `11 min`,
 * `2 min 30 s`. The timestamp drops the client's milliseconds and the request takes a moment to arrive, so the age
 * is the one the flow meant or a second or two more.
 */
export function recordedAge(at: string, timestamp: string): { seconds: number; text: string } {
  const dashed = timestamp.replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/, '$1-$2-$3 $4:$5:$6');
  const seconds = Math.floor((Date.parse(at) - Date.parse(`${dashed.replace(' ', 'T')}+08:00`)) / 1000);
  const [m, s] = [Math.floor(seconds / 60), seconds % 60];
  return { seconds, text: `${m ? `${m} min` : ''}${m && s ? ' ' : ''}${s || !m ? `${s} s` : ''} old` };
}
