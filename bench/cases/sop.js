/**
 * SOP (docs/platforms/sop.md): open.auth.token.app refresh through the gateway: RSA2 verify of the request,
 * the token rotation, RSA2 sign of the answer. The baseline does the same parse, verify and sign.
 * Crypto-bound: the target is ≥ 0.8× the baseline.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import querystring from 'node:querystring';
import { hex32, tokenRecord } from '../lib/values.js';
import { parseShanghaiTime, privateKeyOf, publicKeyOf, rsa2Sign, rsa2Verify, shanghaiTime, signContent } from '../lib/rsa.js';

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
    request: () => refreshRequest(REFRESH),
    ok: refreshed,
  },
  {
    // The scaling measure only: each request spends its own refresh token, exactly once, as a client
    // rotating its tokens does (on a shared store, one compare-and-set per request, no contention).
    id: 'sop.refresh.rotating',
    label: 'SOP open.auth.token.app refresh, rotating (RSA2)',
    pool: 'refresh',
    scalingOnly: true,
    signed: true,
    /** CPU-bound: a second worker on a second core should add at least half a core's worth. */
    scaling: { workersVsSingle: 1.5 },
    /** Signing is as costly for the bench as verifying is for the server: sign the pool before the run, once. */
    prepare(pool) {
      const fresh = Date.now() - signedAt < 120_000;
      if (fresh && signed.length >= pool) return;
      if (!fresh) signed.length = 0;
      signedAt = Date.now();
      for (let i = signed.length; i < pool; i++) signed.push(refreshRequest(rotatingValue(i)));
    },
    request(i) {
      return signed[i] ?? refreshRequest(rotatingValue(i));
    },
    ok: refreshed,
  },
];

function refreshRequest(refreshToken) {
  const params = {
    app_id: APP.appId,
    method: 'open.auth.token.app',
    format: 'json',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: shanghaiTime(Date.now()),
    version: '1.0',
    biz_content: JSON.stringify({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  };
  params.sign = rsa2Sign(signContent(params, true), appPrivate);
  return { method: 'POST', path: '/', headers: FORM, body: querystring.stringify(params) };
}

const rotatingValue = (i) => hex32('5e5e', i);
const signed = [];
let signedAt = 0;

function refreshed(status, body) {
  return status === 200 && typeof JSON.parse(body).open_auth_token_app_response?.app_auth_token === 'string';
}

/** One pre-signed refresh is sent over and over: the sandbox accepts a refresh token again for the run, as the baseline does. */
export const scenario = { platforms: { [platform]: { policy: { refreshReuse: 'accept' } } } };

/** The records the sandbox must hold before the run (seeded by bench/server-with-tokens.js). */
export function prefillSandbox(world, spec) {
  const records = [];
  records.push(tokenRecord(world, { ...owner, kind: 'refresh', value: REFRESH }));
  if (spec.case === 'sop.refresh.rotating')
    for (let i = 0; i < spec.pool; i++) records.push(tokenRecord(world, { ...owner, kind: 'refresh', value: rotatingValue(i) }));
  return records;
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
