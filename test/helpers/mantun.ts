import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { mantunClientSecret, mantunSign, mantunTimestamp } from '../../src/index.js';

/** The built-in Mantun fixture's app and user (fixtures/mantun.json). */
export const APP = { appKey: 'O000000049', appSecret: '3F2A9C4E8B1D7F6A0C5E9B2D4F8A1C3E', redirectUri: 'http://you-domain/xxx.jsp' };
export const USER = { uname: '13800000000', passwd: 'sandbox123' };
export const PROJECT = 'P00000000009';
export const MAC = '187ED5310A2C';

export const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();

export const getCode = (http: TestAgent, prefix = ''): Promise<string> => new MantunClient(http, prefix).code();

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

export const getTokens = (http: TestAgent): Promise<MantunTokens> => new MantunClient(http).tokens();

/** The code → token flow against any base URL (another process, a session's `/s/<id>`), each answer within 5 s. */
export async function getTokensAt(base: string): Promise<MantunTokens> {
  const url = new URL(base);
  const { accessToken, refreshToken } = await new MantunClient(request(url.origin), url.pathname.replace(/\/$/, ''), {}, 5000).tokens();
  return { accessToken, refreshToken };
}

/** A signed router.as call at the sandbox's current time (`now` is the sandbox clock in ms). */
export function routerParams(accessToken: string, method: string, now: number, extra: Record<string, string> = {}): Record<string, string> {
  const params: Record<string, string> = { client_id: APP.appKey, method, access_token: accessToken, timestamp: mantunTimestamp(now), ...extra };
  params.sign = mantunSign(params, APP.appSecret);
  return params;
}

/** Mantun calls through any base path (a session's `/s/<id>`) and with any extra headers (`X-Sandbox-Session`). */
export class MantunClient {
  constructor(
    private readonly http: TestAgent,
    private readonly prefix = '',
    private readonly headers: Record<string, string> = {},
    /** A deadline for each answer (none: the test's own timeout). */
    private readonly timeoutMs?: number,
  ) {}

  post(path: string, params: Record<string, string>) {
    const req = this.http.post(`${this.prefix}${path}`).set(this.headers).type('form');
    if (this.timeoutMs !== undefined) req.timeout(this.timeoutMs);
    return req.send(form(params));
  }

  authverify() {
    return this.post('/oauth/authverify2.as', {
      response_type: 'code',
      client_id: APP.appKey,
      redirect_uri: APP.redirectUri,
      uname: USER.uname,
      passwd: USER.passwd,
    });
  }

  async code(): Promise<string> {
    const res = await this.authverify();
    if (res.body.success !== 'true') throw new Error(`authverify2.as failed: ${res.status} ${res.text}`);
    return res.body.code as string;
  }

  exchange(code: string) {
    return this.post('/oauth/token.as', tokenParams(code));
  }

  async tokens(): Promise<MantunTokens & { expiresIn: number }> {
    const res = await this.exchange(await this.code());
    if (res.body.success !== true) throw new Error(`token.as failed: ${res.status} ${res.text}`);
    return res.body.data;
  }

  refresh(refreshToken: string) {
    return this.post('/oauth/refresh.as', refreshParams(refreshToken));
  }

  /** router.as, signed, with a timestamp at sandbox time `now`. */
  call(accessToken: string, method: string, now: number, extra: Record<string, string> = {}) {
    return this.post('/invoke/router.as', routerParams(accessToken, method, now, extra));
  }
}
