/**
 * ZJRC (docs/platforms/zjrc.md): zjrcuoip.system.base.oauth.token.refresh.new through the signed gateway: JSON
 * body, RSA2 verify, HMAC-SHA1 clientSign, token rotation, RSA2 signed answer. The baseline does the
 * same parse, verify, HMAC and sign.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hex32, tokenRecord } from '../lib/values.js';
import { parseShanghaiTime, privateKeyOf, publicKeyOf, rsa2Sign, rsa2Verify, shanghaiTime, signContent } from '../lib/rsa.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/zjrc.json', import.meta.url), 'utf8')).zjrc;
const APP = fixture.apps[0];
const USER = fixture.users[0];
const JSON_HEADERS = { 'content-type': 'application/json' };
const JSON_TYPE = 'application/json;charset=UTF-8';
const METHOD = 'zjrcuoip.system.base.oauth.token.refresh.new';
const SCOPE = 'get_default_user_info';
const REFRESH = hex32('fe5e', 0);
const md5 = (text) => createHash('md5').update(text, 'utf8').digest('hex');
const hmacHex = (data, key) => createHmac('sha1', key).update(data, 'utf8').digest('hex');
/** The sandbox derives openId from (app, user) without storing a mapping (src/platforms/zjrc/context.ts). */
const OPEN_ID = md5(`zjrc-openid\u0000${APP.appId}\u0000${USER.username}`);
const appPrivate = privateKeyOf(APP.privateKey);

export const platform = 'zjrc';
export const owner = { platform, appId: APP.appId, subject: USER.username };

export const cases = [
  {
    id: 'zjrc.refresh',
    label: 'ZJRC token.refresh.new (RSA2 + HMAC)',
    pool: null,
    reuse: true,
    targets: {},
    request() {
      const biz = { openId: OPEN_ID, clientSign: hmacHex(REFRESH, APP.clientSecret), refreshToken: REFRESH, scopeList: [{ scopeName: SCOPE }] };
      const fields = {
        appId: APP.appId,
        method: METHOD,
        version: '1.0.0',
        timestamp: shanghaiTime(Date.now()),
        bizContent: JSON.stringify(biz),
        signType: 'RSA2',
      };
      fields.sign = rsa2Sign(signContent(fields, false), appPrivate);
      return { method: 'POST', path: '/oip-gateway-server/zjrcuoip/gateway.do', headers: JSON_HEADERS, body: JSON.stringify(fields) };
    },
    ok: (status, body) => {
      const r = JSON.parse(body);
      return status === 200 && r.code === '000000' && r.bizCode === '0';
    },
  },
];

/** One pre-signed refresh is sent over and over: the sandbox accepts a refresh token again for the run, as the baseline does. */
export const scenario = { platforms: { [platform]: { policy: { refreshReuse: 'accept' } } } };

/** The records the sandbox must hold before the run (seeded by bench/server-with-tokens.js). */
export function prefillSandbox(world) {
  const records = [];
  records.push(tokenRecord(world, { ...owner, kind: 'refresh', value: REFRESH, scopes: [SCOPE], data: { openId: OPEN_ID } }));
  return records;
}

// ---------------------------------------------------------------------------------------------------
// The baseline.

const randomHex = () => randomBytes(16).toString('hex');

export function createBaseline() {
  const store = new Map();
  const apps = new Map(fixture.apps.map((a) => [a.appId, { ...a, key: publicKeyOf(a.publicKey) }]));
  const platformKey = privateKeyOf(fixture.platformKeys.privateKey);
  store.set(`refresh:${REFRESH}`, { appId: APP.appId, subject: USER.username, openId: OPEN_ID, scopes: [SCOPE], expiresAt: Date.now() + 30 * 86400_000 });

  const answer = (fields) => {
    fields.sign = rsa2Sign(signContent(fields, false), platformKey);
    return { status: 200, type: JSON_TYPE, body: JSON.stringify(fields) };
  };
  const gatewayError = (code, msg) => answer({ code, msg });
  const bizError = (bizCode, bizMsg) => answer({ code: '000000', msg: '成功', bizCode, bizMsg });

  const gateway = (req) => {
    let p;
    try {
      p = JSON.parse(req.body);
    } catch {
      return gatewayError('100001', 'invalid request');
    }
    if (!p.appId || !p.method || !p.version || !p.timestamp || !p.bizContent || !p.sign) return gatewayError('100002', 'missing param');
    const app = apps.get(p.appId);
    if (!app) return gatewayError('100003', 'unknown app');
    if (p.method !== METHOD || p.version !== '1.0.0' || (p.signType ?? 'RSA2') !== 'RSA2') return gatewayError('100004', 'unknown method');
    if (!rsa2Verify(signContent(p, false), p.sign, app.key)) return gatewayError('100005', 'invalid sign');
    if (!(Math.abs(Date.now() - parseShanghaiTime(p.timestamp)) <= 300_000)) return gatewayError('100006', 'stale timestamp');
    let biz;
    try {
      biz = JSON.parse(p.bizContent);
    } catch {
      return gatewayError('100007', 'invalid bizContent');
    }
    if (!biz.openId || !biz.refreshToken || !biz.clientSign) return bizError('200001', 'missing biz param');
    if (hmacHex(biz.refreshToken, app.clientSecret) !== String(biz.clientSign).toLowerCase()) return bizError('200002', 'invalid clientSign');
    const rec = store.get(`refresh:${biz.refreshToken}`);
    if (!rec || rec.appId !== app.appId || Date.now() >= rec.expiresAt) return bizError('200003', 'invalid refreshToken');
    if (rec.openId !== biz.openId) return bizError('200004', 'openId mismatch');
    for (const s of biz.scopeList ?? []) if (!rec.scopes.includes(s.scopeName)) return bizError('200005', 'scope not granted');
    const now = Date.now();
    rec.usedAt ??= now;
    const access = randomHex();
    const refresh = randomHex();
    store.set(`access:${access}`, { appId: rec.appId, subject: rec.subject, openId: rec.openId, scopes: rec.scopes, expiresAt: now + 7200_000, pair: refresh });
    store.set(`refresh:${refresh}`, {
      appId: rec.appId,
      subject: rec.subject,
      openId: rec.openId,
      scopes: rec.scopes,
      expiresAt: now + 30 * 86400_000,
      pair: access,
    });
    rec.replacedBy = refresh;
    const bizContent = JSON.stringify({ accessToken: access, expiresIn: '7200', refreshToken: refresh });
    return answer({ code: '000000', msg: '成功', bizCode: '0', bizMsg: '成功', bizContent });
  };

  return { store, routes: { 'POST /oip-gateway-server/zjrcuoip/gateway.do': gateway } };
}
