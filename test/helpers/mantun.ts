import type TestAgent from 'supertest/lib/agent.js';
import { mantunClientSecret, mantunSign, mantunTimestamp } from '../../src/index.js';

/** The built-in Mantun fixture's app and user (fixtures/mantun.json). */
export const APP = { appKey: 'O000000049', appSecret: '3F2A9C4E8B1D7F6A0C5E9B2D4F8A1C3E', redirectUri: 'http://you-domain/xxx.jsp' };
export const USER = { uname: '13800000000', passwd: 'sandbox123' };
export const PROJECT = 'P00000000009';
export const MAC = '187ED5310A2C';

export const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();

export async function getCode(http: TestAgent, prefix = ''): Promise<string> {
  const res = await http
    .post(`${prefix}/oauth/authverify2.as`)
    .type('form')
    .send(form({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: USER.passwd }));
  if (res.body.success !== 'true') throw new Error(`authverify2.as failed: ${res.text}`);
  return res.body.code as string;
}

export function tokenParams(code: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    client_id: APP.appKey,
    client_secret: mantunClientSecret(APP.appKey, 'authorization_code', APP.redirectUri, code, APP.appSecret),
    grant_type: 'authorization_code',
    redirect_uri: APP.redirectUri,
    code,
    ...overrides,
  };
}

export function refreshParams(refreshToken: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    client_id: APP.appKey,
    client_secret: mantunClientSecret(APP.appKey, 'refresh_token', APP.redirectUri, refreshToken, APP.appSecret),
    grant_type: 'refresh_token',
    redirect_uri: APP.redirectUri,
    refresh_token: refreshToken,
    ...overrides,
  };
}

export interface MantunTokens {
  accessToken: string;
  refreshToken: string;
}

export async function getTokens(http: TestAgent): Promise<MantunTokens> {
  const code = await getCode(http);
  const res = await http.post('/oauth/token.as').type('form').send(form(tokenParams(code)));
  if (res.body.success !== true) throw new Error(`token.as failed: ${res.text}`);
  return res.body.data as MantunTokens;
}

/** A signed router.as call at the sandbox's current time (`now` is the sandbox clock in ms). */
export function routerParams(accessToken: string, method: string, now: number, extra: Record<string, string> = {}): Record<string, string> {
  const params: Record<string, string> = { client_id: APP.appKey, method, access_token: accessToken, timestamp: mantunTimestamp(now), ...extra };
  params.sign = mantunSign(params, APP.appSecret);
  return params;
}
