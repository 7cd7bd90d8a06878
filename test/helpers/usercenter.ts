import type TestAgent from 'supertest/lib/agent.js';
import { usercenterMd5Password, usercenterShaPassword } from '../../src/index.js';

/** The built-in UserCenter fixture (fixtures/usercenter.json). */
export const CLIENT = { clientId: '23', sysid: 'aaaa' };
/** Access 60 s, refresh 180 s (3 × access). */
export const SHORT_CLIENT = { clientId: '37', sysid: 'yht' };
export const USER = {
  userId: '5f0c6a8e-2b1d-4c3e-9a7f-1d2e3f4a5b6c',
  username: 'test',
  password: 'sandbox123',
  mobile: '18812342841',
  email: 'test@example.com',
  validateCode: '2233',
};
export interface LoginUser {
  username: string;
  password: string;
}

export const USER2 = { userId: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', username: 'zhangsan', password: 'Passw0rd!' };

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const JSON_UTF8 = 'application/json;charset=UTF-8';

/** The texts of the real service, byte for byte. */
export const USER_NOT_FOUND = 'can not find user by accesstoken ';
export const NOT_TIMEOUT = 'Access Token  does not Timeout';
export const REFRESH_USED = 'refresh accesstoken error,can not find accesstoken from refreshtoken,may be refresh token have used already';

/** createAccessToken's body as the seed document shows it. */
export function passwordBody(overrides: Record<string, unknown> = {}, user: LoginUser = USER, client = CLIENT): Record<string, unknown> {
  return {
    sysid: client.sysid,
    username: user.username,
    client_id: client.clientId,
    md5password: usercenterMd5Password(user.password),
    shapassword: usercenterShaPassword(user.password),
    ...overrides,
  };
}

export interface ResultTokens {
  accessToken: string;
  refreshToken: string;
  expires_in: string;
}

/** `result` must be a string holding exactly the documented object; returns it parsed. */
export function parseResult(body: { status: unknown; result: unknown }): ResultTokens {
  if (body.status !== 1 || typeof body.result !== 'string') throw new Error(`not a result-generation success: ${JSON.stringify(body)}`);
  return JSON.parse(body.result) as ResultTokens;
}

export async function login(http: TestAgent, client = CLIENT, user: LoginUser = USER): Promise<ResultTokens> {
  const res = await http.post('/oauth/token').send(passwordBody({}, user, client));
  return parseResult(res.body);
}

/** POST a JSON body to a UserCenter path and return the parsed answer. */
export async function call(http: TestAgent, path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await http.post(path).send(body);
  if (res.status !== 200) throw new Error(`${path} answered HTTP ${res.status}: ${res.text}`);
  return res.body as Record<string, unknown>;
}
