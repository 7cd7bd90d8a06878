import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { zjrcClientSign, zjrcRequest, zjrcVerifyResponse } from '../../src/index.js';

interface BuiltinApp {
  appId: string;
  clientSecret: string;
  publicKey: string;
  privateKey: string;
  redirectUris: string[];
  [k: string]: unknown;
}

/** The built-in ZJRC fixture (fixtures/zjrc.json), read as a client would be configured from it. */
export const BUILTIN = JSON.parse(readFileSync(new URL('../../fixtures/zjrc.json', import.meta.url), 'utf8')) as {
  zjrc: {
    apps: BuiltinApp[];
    platformKeys: { privateKey: string; publicKey: string };
    users: { username: string; password: string; profile: Record<string, string> }[];
  };
};

const app = BUILTIN.zjrc.apps[0];
export const APP = { appId: app.appId, clientSecret: app.clientSecret, privateKey: app.privateKey, redirectUri: app.redirectUris[0] };
export const PLATFORM_PUBLIC_KEY = BUILTIN.zjrc.platformKeys.publicKey;
export const USER = { username: '13900000000', password: 'sandbox123' };
export const WEAK_USER = { username: '13900000001', password: 'sandbox123' };

export const GATEWAY = '/oip-gateway-server/zjrcuoip/gateway.do';
export const AUTHORIZE = '/zjrc/oauth/authorize';
export const M = {
  openId: 'zjrcuoip.oauth.get.openId.new',
  refresh: 'zjrcuoip.system.base.oauth.token.refresh.new',
  refreshOld: 'zjrcuoip.system.base.oauth.token.refresh',
  userinfo: 'zjrcuoip.system.oauth.userinfo.query.new',
} as const;

export const HEX32 = /^[0-9a-f]{32}$/;
export const B64 = /^[A-Za-z0-9+/]+=*$/;

/** A signed gateway body for the built-in app at sandbox time `now` (epoch ms, or a preformatted timestamp). */
export function body(
  method: string,
  bizContent: Record<string, unknown> | string,
  now: number | string,
  over: Partial<Parameters<typeof zjrcRequest>[0]> = {},
): Record<string, string> {
  return zjrcRequest({ appId: APP.appId, privateKey: APP.privateKey, method, bizContent, timestamp: now, ...over });
}

export const call = (http: TestAgent, payload: Record<string, unknown>, path = GATEWAY) =>
  http.post(path).set('content-type', 'application/json').send(JSON.stringify(payload));

/** The response's bizContent, parsed; fails the test when the response is not a success. */
export function bizOf(res: Response): Record<string, unknown> {
  if (res.body.code !== '000000' || res.body.bizCode !== '0') throw new Error(`gateway call failed: ${res.text}`);
  return JSON.parse(res.body.bizContent as string) as Record<string, unknown>;
}

export const verified = (res: Response): boolean => zjrcVerifyResponse(res.body as Record<string, unknown>, PLATFORM_PUBLIC_KEY);

/** Business failure body without its signature (the signature is checked separately). */
export const bizError = (bizCode: string, bizMsg: string) => ({ code: '000000', msg: '成功', bizCode, bizMsg, sign: expect.stringMatching(B64) });
export const gatewayError = (code: string, msg: string) => ({ code, msg, sign: expect.stringMatching(B64) });

export interface AuthorizeOptions {
  scope?: string;
  state?: string;
  user?: { username: string; password: string };
  prefix?: string;
}

/** Log in on the authorization page (form post, as the browser would) and return the code from the 302. */
export async function authorize(http: TestAgent, opts: AuthorizeOptions = {}): Promise<string> {
  const user = opts.user ?? USER;
  const form = new URLSearchParams({
    appId: APP.appId,
    redirectUri: APP.redirectUri,
    scope: opts.scope ?? 'get_core_user_info',
    state: opts.state ?? 's1',
    ...user,
  });
  const res = await http
    .post(`${opts.prefix ?? '/zjrc'}/oauth/authorize`)
    .type('form')
    .send(form.toString());
  if (res.status !== 302) throw new Error(`authorize failed: ${res.status} ${res.text}`);
  const code = new URL(res.headers.location as string).searchParams.get('code');
  if (!code) throw new Error(`no code in ${res.headers.location}`);
  return code;
}

export interface ZjrcTokens {
  openId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: string;
}

export async function getTokens(http: TestAgent, now: () => number, opts: AuthorizeOptions = {}): Promise<ZjrcTokens> {
  const code = await authorize(http, opts);
  const res = await call(http, body(M.openId, { code, clientSign: zjrcClientSign(code, APP.clientSecret) }, now()));
  return bizOf(res) as unknown as ZjrcTokens;
}

const fixtureDirs: string[] = [];

/** Write a fixture file holding `{"zjrc": section}` (laid over the built-in one) and return its path. */
export function fixtureFile(section: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'zjrc-fixture-'));
  fixtureDirs.push(dir);
  const file = join(dir, 'zjrc.json');
  writeFileSync(file, JSON.stringify({ zjrc: section }));
  return file;
}

export function removeFixtureFiles(): void {
  for (const dir of fixtureDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
