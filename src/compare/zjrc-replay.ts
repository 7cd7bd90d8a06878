import { ZJRC_ERRORS } from '../platforms/zjrc/errors.js';
import { zjrcClientSign, zjrcSign } from '../platforms/zjrc/signing.js';
import type { RecordingLine } from '../upstream/recording.js';
import type { PlatformReplay, ReplayRequest } from './platform-replay.js';
import { testKeys } from './test-keys.js';

/** The known test values the recording's masked client secret and accepted password become. */
export const ZJRC_TEST_SECRET = '0c0a0e0f1b2d3c4e5f60718293a4b5c6';
export const ZJRC_TEST_PASSWORD = 'compare123';

type Json = Record<string, unknown>;
const formPairs = (line: RecordingLine): [string, string][] => (line.request.body && 'form' in line.request.body ? line.request.body.form : []);
const formField = (line: RecordingLine, name: string) => [...line.request.query, ...formPairs(line)].find(([n]) => n === name)?.[1];
const requestJson = (line: RecordingLine): Json | undefined =>
  (line.request.body && 'json' in line.request.body ? line.request.body.json : undefined) as Json | undefined;
const answerJson = (line: RecordingLine): Json | undefined =>
  (line.response?.body && 'json' in line.response.body ? line.response.body.json : undefined) as Json | undefined;
const location = (line: RecordingLine) => line.response?.headers.find(([n]) => n.toLowerCase() === 'location')?.[1];
const isLogin = (line: RecordingLine) => /\/oauth\/authorize$/.test(line.request.path) && line.request.method === 'POST';
const loggedIn = (line: RecordingLine) => isLogin(line) && /[?&]code=/.test(location(line) ?? '');

const parseText = (text: unknown): Json | undefined => {
  if (typeof text !== 'string') return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
};

const swapStrings = (v: unknown, swap: (s: string) => string): unknown =>
  typeof v === 'string'
    ? swap(v)
    : Array.isArray(v)
      ? v.map((x) => swapStrings(x, swap))
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swapStrings(x, swap)]))
        : v;

/** The profile the recording's user info answer showed (its fields are the profile's, openId aside). */
function profileOf(lines: readonly RecordingLine[]): { profile?: Record<string, string> } {
  for (const l of lines) {
    if (!l.apiMethod || !/userinfo/.test(l.apiMethod)) continue;
    const biz = parseText(answerJson(l)?.bizContent);
    if (!biz) continue;
    const profile = Object.fromEntries(Object.entries(biz).filter(([k, v]) => k !== 'openId' && typeof v === 'string')) as Record<string, string>;
    return { profile };
  }
  return {};
}

export const zjrcReplay: PlatformReplay = {
  platform: 'zjrc',

  credentials(lines) {
    const mine = lines.filter((l) => l.platform === 'zjrc');
    const apps = new Map<string, { redirect?: string; dlpId?: string; prodId?: string }>();
    for (const l of mine) {
      const json = requestJson(l);
      const appId = isLogin(l) ? formField(l, 'appId') : typeof json?.appId === 'string' ? json.appId : undefined;
      if (!appId) continue;
      const known = apps.get(appId) ?? {};
      if (isLogin(l)) known.redirect ??= formField(l, 'redirectUri');
      if (typeof json?.dlpId === 'string') known.dlpId ??= json.dlpId;
      if (typeof json?.prodId === 'string') known.prodId ??= json.prodId;
      apps.set(appId, known);
    }
    if (apps.size === 0) return undefined;
    const users = new Set(mine.filter(loggedIn).map((l) => formField(l, 'username')!));
    const { publicKey, privateKey } = testKeys();
    return {
      apps: [...apps].map(([appId, a]) => ({
        appId,
        clientSecret: ZJRC_TEST_SECRET,
        publicKey,
        privateKey,
        redirectUris: [a.redirect ?? 'http://localhost/callback'],
        ...(a.dlpId ? { dlpId: a.dlpId } : {}),
        ...(a.prodId ? { prodId: a.prodId } : {}),
      })),
      ...(users.size ? { users: [...users].map((username) => ({ username, password: ZJRC_TEST_PASSWORD, ...profileOf(mine) })) } : {}),
    };
  },

  request({ line, swap }): ReplayRequest {
    const query = line.request.query.length ? `?${new URLSearchParams(line.request.query.map(([n, v]) => [n, swap(v)])).toString()}` : '';
    const contentType = line.request.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1];
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    const base: ReplayRequest = { method: line.request.method, path: `${line.request.path}${query}`, headers };
    if (isLogin(line)) {
      const params = new URLSearchParams(formPairs(line).map(([n, v]) => [n, n === 'password' && loggedIn(line) ? ZJRC_TEST_PASSWORD : swap(v)]));
      return { ...base, body: params.toString() };
    }
    const json = requestJson(line);
    if (!json) return base;
    const fields: Json = {};
    for (const [k, v] of Object.entries(json)) if (k !== 'sign') fields[k] = typeof v === 'string' ? swap(v) : v;
    const biz = parseText(json.bizContent);
    if (biz) {
      const swapped = swapStrings(biz, swap) as Json;
      // clientSign is the HMAC of the code (or of what the call names) with the client secret: computed anew.
      if (typeof swapped.clientSign === 'string' && typeof swapped.code === 'string') swapped.clientSign = zjrcClientSign(swapped.code, ZJRC_TEST_SECRET);
      fields.bizContent = JSON.stringify(swapped);
    }
    const signType = fields.signType === 'RSA' ? 'RSA' : 'RSA2';
    return { ...base, body: JSON.stringify({ ...fields, sign: zjrcSign(fields, testKeys().privateKey, signType) }) };
  },

  errorKinds(fixture) {
    const overrides = ((fixture as { errors?: Record<string, { code?: string }> } | undefined)?.errors ?? {}) as Record<string, { code?: string }>;
    return new Map(ZJRC_ERRORS.kinds.map((kind) => [overrides[kind]?.code ?? ZJRC_ERRORS.entries[kind].code, kind]));
  },

  setting(line, difference, answer, errorKindOf) {
    const real = answerJson(line);
    const sandbox = answer.json as Json | undefined;
    if (!real || !sandbox) return undefined;
    const business = typeof sandbox.bizCode === 'string' && sandbox.bizCode !== '0';
    if (business && (difference.path === '$.bizCode' || difference.path === '$.bizMsg')) {
      const kind = errorKindOf(sandbox.bizCode as string);
      if (!kind || typeof real.bizCode !== 'string' || typeof real.bizMsg !== 'string') return undefined;
      return { path: ['zjrc', 'errors', kind], value: { code: real.bizCode, message: real.bizMsg } };
    }
    if (!business && sandbox.code !== '000000' && (difference.path === '$.code' || difference.path === '$.msg')) {
      const kind = errorKindOf(String(sandbox.code));
      if (!kind || typeof real.code !== 'string' || typeof real.msg !== 'string') return undefined;
      return { path: ['zjrc', 'errors', kind], value: { code: real.code, message: real.msg } };
    }
    if (sandbox.code === '000000' && difference.path === '$.msg' && typeof real.msg === 'string') return { path: ['zjrc', 'successMsg'], value: real.msg };
    if (sandbox.code === '000000' && difference.path === '$.code' && typeof real.code === 'string') return { path: ['zjrc', 'successCode'], value: real.code };
    if (difference.path === '$.bizContent<JSON>.expiresIn' && /^\d+$/.test(String(difference.realValue)))
      return { path: ['zjrc', 'policy', 'lifetimes', 'access'], value: Number(difference.realValue) };
    return undefined;
  },

  busy(line, errorKindOf) {
    const answer = answerJson(line);
    if (!answer || typeof answer.code !== 'string' || answer.bizCode !== undefined) return undefined;
    return errorKindOf(answer.code) === 'service_unavailable' ? `code "${answer.code}"` : undefined;
  },

  timestamp: {
    sent: (line) => (isLogin(line) ? undefined : typeof requestJson(line)?.timestamp === 'string' ? (requestJson(line)!.timestamp as string) : undefined),
    compact: false,
    pastOnly: false,
    verdict(json, errorKindOf) {
      const answer = json as Json | undefined;
      if (!answer || typeof answer.code !== 'string') return undefined;
      // A business answer (bizCode) means the gateway, the timestamp check included, let the call through.
      if (answer.bizCode !== undefined || answer.bizContent !== undefined) return { verdict: 'accepted' };
      const kind = errorKindOf(answer.code);
      if (kind === 'stale_timestamp' || (!kind && /时间戳.*过期|timestamp/i.test(String(answer.msg))))
        return { verdict: 'refused', code: `code "${answer.code}"` };
      return undefined;
    },
  },

  isAccountData(line, path) {
    // The user's profile (name, avatar, mobile, card numbers) as only the real account holds it.
    return line.apiMethod !== undefined && /userinfo/.test(line.apiMethod) && path.startsWith('$.bizContent<JSON>');
  },
};
