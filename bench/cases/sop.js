/**
 * SOP (PROTOCOLS §3): open.auth.token.app refresh through the gateway: RSA2 verify of the request,
 * the token rotation, RSA2 sign of the answer. The baseline does the same parse, verify and sign.
 * Crypto-bound: the target is ≥ 0.8× the baseline.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import querystring from 'node:querystring';
import { hex32, insertToken } from '../lib/values.js';
import { allowRefreshReuse, parseShanghaiTime, privateKeyOf, publicKeyOf, rsa2Sign, rsa2Verify, shanghaiTime, signContent } from '../lib/rsa.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/sop.json', import.meta.url), 'utf8')).sop;
const APP = fixture.apps[0];
const USER = fixture.users[0];
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = 'application/json;charset=UTF-8';
const REFRESH = hex32('fe5e', 0);
const appPrivate = privateKeyOf(APP.privateKey);

export const platform = 'sop';
export const owner = { platform, appId: APP.appId, subject: USER.userId };

export const cases = [
  {
    id: 'sop.refresh',
    label: 'SOP open.auth.token.app refresh (RSA2)',
    pool: null,
    reuse: true,
    targets: { ratio: 0.8 },
    request() {
      const params = {
        app_id: APP.appId,
        method: 'open.auth.token.app',
        format: 'json',
        charset: 'utf-8',
        sign_type: 'RSA2',
        timestamp: shanghaiTime(Date.now()),
        version: '1.0',
        biz_content: JSON.stringify({ grant_type: 'refresh_token', refresh_token: REFRESH }),
      };
      params.sign = rsa2Sign(signContent(params, true), appPrivate);
      return { method: 'POST', path: '/', headers: FORM, body: querystring.stringify(params) };
    },
    ok: (status, body) => status === 200 && typeof JSON.parse(body).open_auth_token_app_response?.app_auth_token === 'string',
  },
];

export function prefillSandbox(world) {
  allowRefreshReuse(world, platform);
  insertToken(world, { ...owner, kind: 'refresh', value: REFRESH });
}

// ---------------------------------------------------------------------------------------------------
// The baseline.

const randomHex = () => randomBytes(16).toString('hex');

export function createBaseline() {
  const store = new Map();
  const apps = new Map(fixture.apps.map((a) => [a.appId, { ...a, key: a.publicKey ? publicKeyOf(a.publicKey) : undefined }]));
  const platformKey = privateKeyOf(fixture.platformKeys.privateKey);
  store.set(`refresh:${REFRESH}`, { appId: APP.appId, subject: USER.userId, expiresAt: null });

  const reply = (key, node) => {
    const nodeText = JSON.stringify(node);
    return { status: 200, type: JSON_TYPE, body: `{"${key}":${nodeText},"sign":"${rsa2Sign(nodeText, platformKey)}"}` };
  };
  const error = (sub) => reply('error_response', { code: '40002', msg: 'Invalid parameter', sub_code: sub, sub_msg: sub });

  const gateway = (req) => {
    const p = req.contentType === 'application/x-www-form-urlencoded' ? querystring.parse(req.body) : {};
    if (!p.method || !p.version || !p.app_id || !p.sign || !p.sign_type || !p.charset) return error('isv.missing-param');
    if (p.method !== 'open.auth.token.app' || p.version !== '1.0') return error('isv.invalid-method');
    const app = apps.get(p.app_id);
    if (!app || !app.key) return error('isv.invalid-app-id');
    if (p.sign_type !== 'RSA2' || !rsa2Verify(signContent(p, true), p.sign, app.key)) return error('isv.invalid-signature');
    if (!(parseShanghaiTime(p.timestamp) >= Date.now() - 300_000)) return error('isv.invalid-timestamp');
    let biz;
    try {
      biz = JSON.parse(p.biz_content);
    } catch {
      biz = {};
    }
    const node = (fields) => reply('open_auth_token_app_response', { code: '10000', msg: 'Success', ...fields });
    if (biz.grant_type !== 'refresh_token') return node({ error: 'invalid_grant', error_description: 'invalid grant' });
    const rec = store.get(`refresh:${biz.refresh_token}`);
    if (!rec || rec.appId !== app.appId) return node({ error: 'invalid_token', error_description: 'invalid token' });
    const now = Date.now();
    // Reuse allowed, as in the sandbox run: the old refresh token is marked, not refused.
    rec.usedAt ??= now;
    const access = randomHex();
    const refresh = randomHex();
    const old = rec.pair && store.get(`access:${rec.pair}`);
    if (old) old.graceUntil = now + 600_000;
    store.set(`access:${access}`, { appId: rec.appId, subject: rec.subject, expiresAt: null, pair: refresh });
    store.set(`refresh:${refresh}`, { appId: rec.appId, subject: rec.subject, expiresAt: null, pair: access });
    rec.replacedBy = refresh;
    return node({ app_auth_token: access, app_refresh_token: refresh, user_id: rec.subject, expires_in: -1, re_expires_in: -3, request_id: randomHex() });
  };

  return { store, routes: { 'POST /': gateway } };
}
