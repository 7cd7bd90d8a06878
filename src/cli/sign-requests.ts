import type { MantunFixture } from '../platforms/mantun/fixture.js';
import { mantunClientSecret, mantunSign, mantunTimestamp } from '../platforms/mantun/signing.js';
import type { SopFixture } from '../platforms/sop/fixture.js';
import { signSopRequest, sopTimestamp } from '../platforms/sop/signing.js';
import type { UserCenterFixture } from '../platforms/usercenter/fixture.js';
import { usercenterMd5Password, usercenterShaPassword } from '../platforms/usercenter/passwords.js';
import { zjrcClientSign, zjrcSign, zjrcTimestamp } from '../platforms/zjrc/client.js';
import type { ZjrcFixture } from '../platforms/zjrc/fixture.js';

/**
 * What `sandbox sign` computes, platform by platform, with the same helpers the package exports and
 * the server checks with: the values a client derives (client_secret, sign, password hashes, clientSign)
 * and the whole request they go into, so it can be sent with curl.
 */

export interface SignedRequest {
  /** One line saying which app/user/key the values were made with. */
  about: string;
  values: Record<string, string>;
  request?: { method: 'POST'; path: string; form?: Record<string, string>; json?: Record<string, unknown> };
}

export interface SignInput {
  app?: string;
  /** Sandbox time to sign at (epoch ms). */
  at: number;
  /** The platform-format timestamp verbatim, instead of one made from `at`. */
  timestamp?: string;
  params: Record<string, string>;
  [option: string]: unknown;
}

const need = (input: SignInput, name: string, hint: string): string => {
  const v = input[name];
  if (typeof v !== 'string' || v === '') throw new Error(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is required: ${hint}`);
  return v;
};

function pick<T>(list: readonly T[], id: string | undefined, key: (t: T) => string, what: string): T {
  if (list.length === 0) throw new Error(`the fixtures hold no ${what}; add one or pass --fixtures`);
  if (id === undefined) return list[0];
  const found = list.find((t) => key(t) === id);
  if (!found) throw new Error(`no ${what} "${id}" in the fixtures; there are: ${list.map(key).join(', ')}`);
  return found;
}

function jsonArg(text: string | undefined, name: string): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below with the same message
  }
  throw new Error(`--${name} must be a JSON object such as '{"code":"..."}', got ${text}`);
}

export function mantunRequest(fx: MantunFixture, action: string, input: SignInput): SignedRequest {
  const app = pick(fx.apps, input.app, (a) => a.appKey, 'mantun app');
  const about = `mantun app ${app.appKey}`;
  if (action === 'token' || action === 'refresh') {
    const redirectUri = (input.redirectUri as string | undefined) ?? app.redirectUri;
    const grant = action === 'token' ? 'authorization_code' : 'refresh_token';
    const credential = action === 'token' ? need(input, 'code', 'the code authverify2.as answered') : need(input, 'refreshToken', 'the refresh token to exchange');
    const clientSecret = mantunClientSecret(app.appKey, grant, redirectUri, credential, app.appSecret);
    const form: Record<string, string> = { client_id: app.appKey, client_secret: clientSecret, grant_type: grant, redirect_uri: redirectUri, [action === 'token' ? 'code' : 'refresh_token']: credential };
    return { about: `${about}, redirect_uri ${redirectUri}`, values: { client_secret: clientSecret }, request: { method: 'POST', path: action === 'token' ? '/oauth/token.as' : '/oauth/refresh.as', form: { ...form, ...input.params } } };
  }
  if (action === 'router') {
    const params: Record<string, string> = {
      client_id: app.appKey,
      method: need(input, 'method', 'the router.as method, e.g. GET_BOXES'),
      access_token: need(input, 'accessToken', 'the access token token.as answered'),
      timestamp: input.timestamp ?? mantunTimestamp(input.at, fx.utcOffsetMinutes),
      ...input.params,
    };
    const sign = mantunSign(params, app.appSecret);
    return { about, values: { timestamp: params.timestamp, sign }, request: { method: 'POST', path: '/invoke/router.as', form: { ...params, sign } } };
  }
  throw new Error(`mantun signs: token (client_secret for token.as), refresh (client_secret for refresh.as) or router (sign for router.as); got "${action}"`);
}

export function usercenterRequest(fx: UserCenterFixture, action: string, input: SignInput): SignedRequest {
  if (action !== 'password') throw new Error(`usercenter signs: password (md5password and shapassword); got "${action}"`);
  const username = input.user as string | undefined;
  const user = username === undefined ? undefined : fx.users.find((u) => [u.userCode, u.userName, u.mobile, u.email].includes(username));
  if (username !== undefined && !user && input.password === undefined) throw new Error(`no usercenter user "${username}" in the fixtures; there are: ${fx.users.map((u) => u.userCode).join(', ')} (or give --password)`);
  const password = (input.password as string | undefined) ?? user?.password;
  if (password === undefined) throw new Error('--password (the clear password) or --user (a fixture user, whose password is used) is required');
  const values = { md5password: usercenterMd5Password(password), shapassword: usercenterShaPassword(password) };
  if (username === undefined) return { about: 'usercenter password hashes', values };
  const client = pick(fx.clients, input.app, (c) => c.clientId, 'usercenter client');
  return {
    about: `usercenter user ${username}, client ${client.clientId} (sysid ${client.sysid})`,
    values,
    request: { method: 'POST', path: '/oauth/token', json: { sysid: client.sysid, username, client_id: client.clientId, ...values, ...input.params } },
  };
}

export function sopRequest(fx: SopFixture, action: string, input: SignInput): SignedRequest {
  if (action !== 'request') throw new Error(`sop signs: request (a signed gateway call); got "${action}"`);
  const app = pick(fx.apps, input.app, (a) => a.appId, 'sop app');
  const key = (input.privateKey as string | undefined) ?? app.privateKey;
  if (!key) throw new Error(`sop app ${app.appId} has no privateKey in the fixtures; pass --private-key FILE`);
  const bizContent = input.bizContent as string | undefined;
  if (bizContent !== undefined) jsonArg(bizContent, 'biz-content');
  const params: Record<string, string> = {
    app_id: app.appId,
    method: need(input, 'method', 'the gateway method, e.g. open.auth.token.app or alipay.story.get'),
    format: 'json',
    charset: 'utf-8',
    sign_type: (input.signType as string | undefined) ?? 'RSA2',
    timestamp: input.timestamp ?? sopTimestamp(input.at, fx.utcOffsetMinutes),
    version: (input.version as string | undefined) ?? '1.0',
    ...(input.appAuthToken ? { app_auth_token: input.appAuthToken as string } : {}),
    ...(bizContent !== undefined ? { biz_content: bizContent } : {}),
    ...input.params,
  };
  const signed = signSopRequest(params, key);
  return { about: `sop app ${app.appId} (its fixture private key)`, values: { timestamp: signed.timestamp, sign: signed.sign }, request: { method: 'POST', path: '/', form: signed } };
}

/** The value a ZJRC service's clientSign covers: the code, else the refresh token, else the openId. */
function clientSignData(biz: Record<string, unknown>): string | undefined {
  for (const k of ['code', 'refreshToken', 'openId']) if (typeof biz[k] === 'string' && biz[k] !== '') return biz[k] as string;
  return undefined;
}

export function zjrcRequest(fx: ZjrcFixture, action: string, input: SignInput): SignedRequest {
  const app = pick(fx.apps, input.app, (a) => a.appId, 'zjrc app');
  const encoding = fx.clientSignEncoding === 'base64' ? 'base64' : 'hex';
  if (action === 'client-sign') {
    const data = need(input, 'data', 'the code, refresh token or openId the clientSign covers');
    return { about: `zjrc app ${app.appId} (client_secret from the fixtures, ${encoding})`, values: { clientSign: zjrcClientSign(data, app.clientSecret, encoding) } };
  }
  if (action !== 'request') throw new Error(`zjrc signs: request (a signed gateway call) or client-sign (HMAC-SHA1 of a code or token); got "${action}"`);
  const key = (input.privateKey as string | undefined) ?? app.privateKey;
  if (!key) throw new Error(`zjrc app ${app.appId} has no privateKey in the fixtures; pass --private-key FILE`);
  const biz = jsonArg(input.bizContent as string | undefined, 'biz-content');
  const values: Record<string, string> = {};
  // The OAuth services need clientSign inside bizContent; fill it in unless the caller gave one.
  const data = clientSignData(biz);
  if (biz.clientSign === undefined && data !== undefined) biz.clientSign = values.clientSign = zjrcClientSign(data, app.clientSecret, encoding);
  const f = fx.fields;
  const signType = (input.signType as 'RSA2' | 'RSA' | undefined) ?? fx.signType;
  const fields: Record<string, string> = {
    [f.appId]: app.appId,
    [f.method]: need(input, 'method', 'the gateway service, e.g. zjrcuoip.oauth.get.openId.new'),
    [f.version]: (input.version as string | undefined) ?? '1.0.0',
    [f.timestamp]: input.timestamp ?? zjrcTimestamp(input.at, fx.utcOffsetMinutes),
    [f.bizContent]: JSON.stringify(biz),
    [f.signType]: signType,
    ...(app.dlpId ? { [f.dlpId]: app.dlpId } : {}),
    ...(app.prodId ? { [f.prodId]: app.prodId } : {}),
    ...input.params,
  };
  const sign = zjrcSign(fields, key, signType, { exclude: [f.sign, ...fx.signExclude], includeEmpty: fx.signIncludeEmpty });
  values.timestamp = fields[f.timestamp];
  values.sign = sign;
  return { about: `zjrc app ${app.appId} (its fixture private key)`, values, request: { method: 'POST', path: '/oip-gateway-server/zjrcuoip/gateway.do', json: { ...fields, [f.sign]: sign } } };
}
