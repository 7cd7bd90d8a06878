/**
 * Mantun (docs/platforms/mantun.md): token.as, router.as and refresh.as, each measured against a bare node:http
 * handler doing the same urlencoded parse, the same MD5 and the same Map lookups.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import querystring from 'node:querystring';
import { hex32, tokenRecord } from '../lib/values.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/mantun.json', import.meta.url), 'utf8')).mantun;
const APP = fixture.apps[0];
const USER = fixture.users[0];
const PROJECT = fixture.projects[0];
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = 'application/json;charset=UTF-8';
const md5 = (text) => createHash('md5').update(text, 'utf8').digest('hex');
const randomHex = () => randomBytes(16).toString('hex');

const codeValue = (i) => hex32('c0de', i);
const refreshValue = (i) => hex32('fe5e', i);
const ACCESS = hex32('acce', 0);

/** yyyyMMddHHmmss, Asia/Shanghai. */
function timestamp(ms) {
  return new Date(ms + 480 * 60_000).toISOString().replace(/\D/g, '').slice(0, 14);
}

const succeeded = (status, body) => status === 200 && JSON.parse(body).success === true;

export const platform = 'mantun';
/** Who owns the filler tokens of the growth measure. */
export const owner = { platform, appId: APP.appKey, subject: USER.uname };

export const cases = [
  {
    id: 'mantun.token',
    label: 'Mantun token.as (code → token)',
    pool: 'code',
    targets: { ratio: 0.25, p99Ms: 50 },
    persistence: true,
    /** Store-bound: every redemption is a round trip to Redis instead of a Map lookup. */
    scaling: { redisVsMemory: 0.5 },
    request(i) {
      const code = codeValue(i);
      const secret = md5(APP.appKey + 'authorization_code' + APP.redirectUri + code + APP.appSecret);
      const body = querystring.stringify({
        client_id: APP.appKey,
        client_secret: secret,
        grant_type: 'authorization_code',
        redirect_uri: APP.redirectUri,
        code,
      });
      return { method: 'POST', path: '/oauth/token.as', headers: FORM, body };
    },
    ok: succeeded,
  },
  {
    id: 'mantun.router',
    label: 'Mantun router.as GET_BOXES',
    pool: null,
    targets: { ratio: 0.25, p99Ms: 50 },
    growth: true,
    request: () => routerRequest(ACCESS),
    ok: succeeded,
  },
  {
    id: 'mantun.refresh',
    label: 'Mantun refresh.as (rotating)',
    pool: 'refresh',
    targets: { p99Ms: 50 },
    growth: true,
    request(i) {
      const token = refreshValue(i);
      const secret = md5(APP.appKey + 'refresh_token' + APP.redirectUri + token + APP.appSecret);
      const body = querystring.stringify({
        client_id: APP.appKey,
        client_secret: secret,
        grant_type: 'refresh_token',
        redirect_uri: APP.redirectUri,
        refresh_token: token,
      });
      return { method: 'POST', path: '/oauth/refresh.as', headers: FORM, body };
    },
    ok: succeeded,
  },
];

function routerRequest(accessToken) {
  const params = { access_token: accessToken, client_id: APP.appKey, method: 'GET_BOXES', projectCode: PROJECT.projectCode, timestamp: timestamp(Date.now()) };
  const sign = md5(
    Object.keys(params)
      .sort()
      .map((k) => params[k])
      .join('') + APP.appSecret,
  );
  return { method: 'POST', path: '/invoke/router.as', headers: FORM, body: querystring.stringify({ ...params, sign }) };
}

/**
 * router.as against a sandbox started by the CLI (nothing pre-filled): log in over HTTP as a client
 * would (authverify2.as, then token.as) and use the issued access token.
 */
export async function liveRouterCase(url, request) {
  const post = async (path, form) => {
    const res = await request(url + path, { method: 'POST', headers: FORM, body: querystring.stringify(form) });
    const body = JSON.parse(res.body);
    if (res.status !== 200 || String(body.success) !== 'true') throw new Error(`${path}: HTTP ${res.status} ${res.body}`);
    return body;
  };
  const { code } = await post('/oauth/authverify2.as', {
    response_type: 'code',
    client_id: APP.appKey,
    redirect_uri: APP.redirectUri,
    uname: USER.uname,
    passwd: USER.passwd,
  });
  const secret = md5(APP.appKey + 'authorization_code' + APP.redirectUri + code + APP.appSecret);
  const { data } = await post('/oauth/token.as', {
    client_id: APP.appKey,
    client_secret: secret,
    grant_type: 'authorization_code',
    redirect_uri: APP.redirectUri,
    code,
  });
  return { id: 'mantun.router.live', label: 'Mantun router.as GET_BOXES', pool: null, request: () => routerRequest(data.accessToken), ok: succeeded };
}

/** The records the sandbox must hold before the run (seeded by bench/server-with-tokens.js). */
export function prefillSandbox(world, spec) {
  const records = [];
  records.push(tokenRecord(world, { ...owner, kind: 'access', value: ACCESS }));
  for (let i = 0; i < spec.pool; i++) {
    if (spec.case === 'mantun.token') records.push(tokenRecord(world, { ...owner, kind: 'code', value: codeValue(i), data: { redirectUri: APP.redirectUri } }));
    else if (spec.case === 'mantun.refresh') records.push(tokenRecord(world, { ...owner, kind: 'refresh', value: refreshValue(i) }));
  }
  return records;
}

// ---------------------------------------------------------------------------------------------------
// The baseline: what a hand-written node:http server would do for the same protocol, no framework.

const fail = (code, message) => ({ status: 200, type: JSON_TYPE, body: JSON.stringify({ success: false, code, message }) });
const CALLBACK = { status: 400, type: 'text/plain;charset=UTF-8', body: 'OAuth callback url needs to be provided!' };

export function createBaseline(spec) {
  const store = new Map();
  const apps = new Map(fixture.apps.map((a) => [a.appKey, a]));
  const projects = new Map(fixture.projects.map((p) => [p.projectCode, p]));
  const now = Date.now();
  store.set(`access:${ACCESS}`, { appId: APP.appKey, subject: USER.uname, expiresAt: now + 3600_000 });
  for (let i = 0; i < spec.pool; i++) {
    if (spec.case === 'mantun.token') store.set(`code:${codeValue(i)}`, { appId: APP.appKey, subject: USER.uname, expiresAt: now + 600_000 });
    else if (spec.case === 'mantun.refresh')
      store.set(`refresh:${refreshValue(i)}`, { appId: APP.appKey, subject: USER.uname, expiresAt: now + 30 * 86400_000 });
  }

  const issuePair = (appId, subject) => {
    const t = Date.now();
    const access = randomHex();
    const refresh = randomHex();
    store.set(`access:${access}`, { appId, subject, expiresAt: t + 3600_000, pair: refresh });
    store.set(`refresh:${refresh}`, { appId, subject, expiresAt: t + 30 * 86400_000, pair: access });
    const body = JSON.stringify({ data: { tokenType: 'Bearer', accessToken: access, expiresIn: 3600, refreshToken: refresh }, success: true, code: '0' });
    return { status: 200, type: JSON_TYPE, body };
  };

  const oauthForm = (req) => {
    if (req.contentType !== 'application/x-www-form-urlencoded') return undefined;
    const p = querystring.parse(req.body);
    return p.redirect_uri ? p : undefined;
  };

  const grant = (req, grantType, credentialName, kind) => {
    const p = oauthForm(req);
    if (!p) return CALLBACK;
    const app = apps.get(p.client_id);
    if (!app) return fail('1002', 'unknown client_id');
    if (p.grant_type !== grantType) return fail('1003', 'unsupported grant_type');
    if (p.redirect_uri !== app.redirectUri) return fail('1004', 'redirect_uri mismatch');
    const credential = p[credentialName];
    if (md5(app.appKey + grantType + p.redirect_uri + credential + app.appSecret) !== String(p.client_secret).toLowerCase())
      return fail('1005', 'bad client_secret');
    const rec = store.get(`${kind}:${credential}`);
    if (!rec || rec.appId !== app.appKey || rec.usedAt !== undefined || Date.now() >= rec.expiresAt) return fail('1006', `invalid ${credentialName}`);
    rec.usedAt = Date.now();
    return issuePair(rec.appId, rec.subject);
  };

  const router = (req) => {
    const p = req.contentType === 'application/x-www-form-urlencoded' ? querystring.parse(req.body) : {};
    if (!p.client_id || !p.method || !p.access_token || !p.timestamp || !p.sign) return fail('1001', 'missing parameter');
    const app = apps.get(p.client_id);
    if (!app) return fail('1002', 'unknown client_id');
    let text = '';
    for (const k of Object.keys(p).sort()) if (k !== 'sign') text += p[k];
    if (md5(text + app.appSecret) !== p.sign.toLowerCase()) return fail('1007', 'bad sign');
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(p.timestamp);
    const sent = m ? Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - 480 * 60_000 : NaN;
    if (!(Math.abs(Date.now() - sent) <= 600_000)) return fail('1008', 'stale timestamp');
    const rec = store.get(`access:${p.access_token}`);
    if (!rec || rec.appId !== app.appKey || Date.now() >= rec.expiresAt) return fail('1009', 'invalid access_token');
    if (p.method !== 'GET_BOXES') return fail('1010', 'unknown method');
    const project = projects.get(p.projectCode);
    if (!project) return fail('1011', 'unknown projectCode');
    const data = project.boxes.map((b) => ({ mac: b.mac, name: b.name, phone: b.phone ?? '' }));
    return { status: 200, type: JSON_TYPE, body: JSON.stringify({ success: true, code: '0', data }) };
  };

  return {
    store,
    routes: {
      'POST /oauth/token.as': (req) => grant(req, 'authorization_code', 'code', 'code'),
      'POST /oauth/refresh.as': (req) => grant(req, 'refresh_token', 'refresh_token', 'refresh'),
      'POST /invoke/router.as': router,
    },
  };
}
