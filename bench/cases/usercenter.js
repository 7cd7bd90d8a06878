/**
 * UserCenter (docs/platforms/usercenter.md): getUserByToken, a JSON body and a token lookup, against a bare node:http
 * handler doing the same JSON parse, the same lookups and the same masking.
 */
import { readFileSync } from 'node:fs';
import { tokenRecord, uuidOf } from '../lib/values.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/usercenter.json', import.meta.url), 'utf8')).usercenter;
const CLIENT = fixture.clients[0];
const USER = fixture.users[0];
const JSON_HEADERS = { 'content-type': 'application/json' };
const JSON_TYPE = 'application/json;charset=UTF-8';
const ACCESS = uuidOf('acce', 0);

export const platform = 'usercenter';
/** Tokens speak for a userId; the filler tokens of the growth measure belong to the demo client. */
export const owner = { platform, appId: CLIENT.clientId, subject: USER.userId };

export const cases = [
  {
    id: 'usercenter.user',
    label: 'UserCenter getUserByToken',
    pool: null,
    targets: { p99Ms: 50 },
    growth: true,
    request: () => ({ method: 'POST', path: '/user/getUserByToken', headers: JSON_HEADERS, body: JSON.stringify({ accessToken: ACCESS }) }),
    ok: (status, body) => status === 200 && JSON.parse(body).status === 1,
  },
];

/** The records the sandbox must hold before the run (seeded by bench/server-with-tokens.js). */
export function prefillSandbox(world) {
  const records = [];
  records.push(tokenRecord(world, { ...owner, kind: 'access', value: ACCESS }));
  return records;
}

// ---------------------------------------------------------------------------------------------------
// The baseline.

const maskMobile = (m) => (m.length >= 8 ? `${m.slice(0, 3)}****${m.slice(-4)}` : m);
const maskEmail = (e) => {
  const at = e.lastIndexOf('@');
  return at < 1 ? e : `${e.slice(0, Math.min(2, at - 1) || 1)}****${e.slice(at)}`;
};
const NOT_FOUND = { status: 200, type: JSON_TYPE, body: JSON.stringify({ status: 0, msg: 'can not find user by accesstoken ' }) };

export function createBaseline() {
  const store = new Map();
  const users = new Map(fixture.users.map((u) => [u.userId, u]));
  store.set(`access:${ACCESS}`, { appId: CLIENT.clientId, subject: USER.userId, expiresAt: Date.now() + 86400_000 });

  const getUser = (req) => {
    let body;
    try {
      body = JSON.parse(req.body);
    } catch {
      return { status: 200, type: JSON_TYPE, body: '{"status":0,"msg":"request body must be a JSON object"}' };
    }
    const token = body?.accessToken ?? body?.access_token;
    if (!token) return { status: 200, type: JSON_TYPE, body: '{"status":0,"msg":"accessToken is required"}' };
    const rec = store.get(`access:${token}`);
    if (!rec || Date.now() >= rec.expiresAt) return NOT_FOUND;
    const u = users.get(rec.subject);
    if (!u) return NOT_FOUND;
    const user = {
      userId: u.userId,
      userCode: u.userCode,
      userName: u.userName,
      userMobile: u.mobile ? maskMobile(u.mobile) : null,
      userEmail: u.email ? maskEmail(u.email) : null,
      userAvator: u.userAvator ?? '',
      status: u.status ?? 1,
      registerDate: u.registerDate,
    };
    return { status: 200, type: JSON_TYPE, body: JSON.stringify({ status: 1, user }) };
  };

  return { store, routes: { 'POST /user/getUserByToken': getUser } };
}
