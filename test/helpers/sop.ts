import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type TestAgent from 'supertest/lib/agent.js';
import type { Response } from 'supertest';
import { signSopRequest, sopTimestamp, verifySopResponse, type SopSignType } from '../../src/index.js';

interface BuiltinSop {
  sop: {
    apps: { appId: string; publicKey: string; privateKey: string }[];
    users: { username: string; password: string; userId: string }[];
    platformKeys: { privateKey: string; publicKey: string };
  };
}

const builtin = JSON.parse(readFileSync(new URL('../../fixtures/sop.json', import.meta.url), 'utf8')) as BuiltinSop;

/** The built-in `sop` section, for fixtures that extend it (arrays in fixture files replace, they do not append). */
export const BUILTIN_SOP = builtin.sop as BuiltinSop['sop'] & { methods: unknown[] };

/** Write a fixture file holding this `sop` section (laid over the built-in fixtures) and return its path. */
export function sopFixtureFile(section: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sop-fixture-')), 'sop.json');
  writeFileSync(file, JSON.stringify({ sop: section }));
  return file;
}

/** The built-in SOP app, user and platform key (fixtures/sop.json; TEST ONLY keys). */
export const APP = builtin.sop.apps[0];
export const USER = builtin.sop.users[0];
export const PLATFORM_PUBLIC_KEY = builtin.sop.platformKeys.publicKey;
export const REDIRECT_URI = 'http://localhost:3000/callback';

export const HEX32 = /^[0-9a-f]{32}$/;

export const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();

/** The common params of a gateway call at sandbox time `now`, signed with the app's private key. */
export function gatewayParams(
  method: string,
  now: number,
  extra: Record<string, string> = {},
  opts: { signType?: SopSignType; privateKey?: string } = {},
): Record<string, string> {
  const params: Record<string, string> = {
    app_id: APP.appId,
    method,
    format: 'json',
    charset: 'utf-8',
    sign_type: opts.signType ?? 'RSA2',
    timestamp: sopTimestamp(now),
    version: '1.0',
    ...extra,
  };
  return signSopRequest(params, opts.privateKey ?? APP.privateKey);
}

export const tokenBiz = (biz: Record<string, string>): Record<string, string> => ({ biz_content: JSON.stringify(biz) });

/** POST the params as a form to the gateway at `/`. */
export function postGateway(http: TestAgent, params: Record<string, string>, headers: Record<string, string> = {}) {
  return http.post('/').set(headers).type('form').send(form(params));
}

/** Assert the response's `sign` verifies with the platform public key over the node's exact text; return the node. */
export function signedNode(res: Response, key: string, signType: SopSignType = 'RSA2'): Record<string, unknown> {
  const check = verifySopResponse(res.text, PLATFORM_PUBLIC_KEY, signType);
  if (!check.valid) throw new Error(`response signature does not verify: ${res.text}`);
  if (check.key !== key) throw new Error(`expected response key ${key}, got ${check.key}: ${res.text}`);
  return check.node as Record<string, unknown>;
}

/** Log in on the authorization form as a browser would and return the code from the 302 Location. */
export async function getCode(http: TestAgent, prefix = ''): Promise<string> {
  const res = await http
    .post(`${prefix}/oauth2/authorize`)
    .type('form')
    .send(form({ response_type: 'code', client_id: APP.appId, redirect_uri: REDIRECT_URI, username: USER.username, password: USER.password }));
  if (res.status !== 302) throw new Error(`authorize failed: ${res.status} ${res.text}`);
  const code = new URL(res.headers.location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${res.headers.location}`);
  return code;
}

export interface SopTokens {
  app_auth_token: string;
  app_refresh_token: string;
}

export async function getTokens(http: TestAgent, now: number): Promise<SopTokens> {
  const code = await getCode(http);
  const res = await postGateway(http, gatewayParams('open.auth.token.app', now, tokenBiz({ grant_type: 'authorization_code', code })));
  const node = res.body.open_auth_token_app_response;
  if (!node?.app_auth_token) throw new Error(`open.auth.token.app failed: ${res.text}`);
  return node as SopTokens;
}
