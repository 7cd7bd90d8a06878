import { MANTUN_ERRORS } from '../platforms/mantun/errors.js';
import { mantunClientSecret, mantunSign } from '../platforms/mantun/signing.js';
import type { RecordingLine } from '../upstream/recording.js';
import type { PlatformReplay, ReplayRequest } from './platform-replay.js';

/** The known test values the recording's masked app secret and password become in the replaying sandbox. */
export const MANTUN_TEST_SECRET = '0C0A0E0F1B2D3C4E5F60718293A4B5C6';
export const MANTUN_TEST_PASSWORD = 'compare123';

/** router.as refusals that come after the timestamp check (src/platforms/mantun/router.ts): the timestamp passed. */
const CHECKED_AFTER_TIMESTAMP = new Set(['invalid_access_token', 'access_token_expired', 'access_token_revoked', 'unknown_method', 'not_found']);

/** The fields the replay signs again with the test app secret. */
const RESIGNED = new Set(['client_secret', 'sign']);

const formOf = (line: RecordingLine): [string, string][] => {
  const body = line.request.body;
  const form = body && 'form' in body ? body.form : [];
  return [...line.request.query, ...form];
};
const field = (line: RecordingLine, name: string) => formOf(line).find(([n]) => n === name)?.[1];
const answerJson = (line: RecordingLine) =>
  (line.response?.body && 'json' in line.response.body ? line.response.body.json : undefined) as Record<string, unknown> | undefined;
const succeeded = (line: RecordingLine) => {
  const s = answerJson(line)?.success;
  return s === true || s === 'true';
};

/** The passwords (placeholders) the real platform accepted: each becomes the test password; any other stays wrong. */
const acceptedPasswords = (lines: readonly RecordingLine[]) =>
  new Set(lines.filter((l) => l.platform === 'mantun' && l.endpoint === 'authverify2.as' && succeeded(l)).map((l) => field(l, 'passwd')));

export const mantunReplay: PlatformReplay = {
  platform: 'mantun',

  credentials(lines) {
    const mine = lines.filter((l) => l.platform === 'mantun');
    const apps = new Map<string, string>();
    for (const l of mine) {
      const appKey = field(l, 'client_id');
      if (appKey && !apps.has(appKey)) apps.set(appKey, '');
      const redirect = field(l, 'redirect_uri');
      if (appKey && redirect && !apps.get(appKey)) apps.set(appKey, redirect);
    }
    const users = new Set(mine.filter((l) => l.endpoint === 'authverify2.as' && succeeded(l)).map((l) => field(l, 'uname')!));
    if (apps.size === 0) return undefined;
    return {
      apps: [...apps].map(([appKey, redirectUri]) => ({ appKey, appSecret: MANTUN_TEST_SECRET, redirectUri: redirectUri || 'http://localhost/callback' })),
      ...(users.size ? { users: [...users].map((uname) => ({ uname, passwd: MANTUN_TEST_PASSWORD })) } : {}),
    };
  },

  request({ line, swap }): ReplayRequest {
    const accepted = acceptedPasswords([line]);
    const body = line.request.body;
    const params: Record<string, string> = {};
    const form = body && 'form' in body ? body.form : undefined;
    // client_secret and sign are computed anew below: their recorded stand-ins are not values to map.
    for (const [name, value] of form ?? []) params[name] = RESIGNED.has(name) ? value : swap(value);
    if ('passwd' in params && accepted.has(field(line, 'passwd'))) params.passwd = MANTUN_TEST_PASSWORD;
    const appKey = params.client_id ?? '';
    if (line.endpoint === 'token.as' || line.endpoint === 'refresh.as') {
      const credential = line.endpoint === 'token.as' ? params.code : params.refresh_token;
      if (params.client_secret !== undefined)
        params.client_secret = mantunClientSecret(appKey, params.grant_type ?? '', params.redirect_uri ?? '', credential ?? '', MANTUN_TEST_SECRET);
    }
    if (line.endpoint === 'router.as' && params.sign !== undefined) params.sign = mantunSign(params, MANTUN_TEST_SECRET);
    const query = line.request.query.length ? `?${new URLSearchParams(line.request.query.map(([n, v]) => [n, swap(v)])).toString()}` : '';
    const contentType = line.request.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1];
    return {
      method: line.request.method,
      path: `${line.request.path}${query}`,
      headers: contentType ? { 'content-type': contentType } : {},
      ...(form ? { body: new URLSearchParams(params).toString() } : body && 'text' in body ? { body: body.text } : {}),
    };
  },

  errorKinds(fixture) {
    const overrides = ((fixture as { errors?: Record<string, { code?: string }> } | undefined)?.errors ?? {}) as Record<string, { code?: string }>;
    const out = new Map<string, string>();
    for (const kind of MANTUN_ERRORS.kinds) out.set(overrides[kind]?.code ?? MANTUN_ERRORS.entries[kind].code, kind);
    return out;
  },

  setting(line, difference, answer, errorKindOf) {
    const sandbox = answer.json as Record<string, unknown> | undefined;
    const real = answerJson(line);
    const refused = sandbox?.success === false || sandbox?.success === 'false';
    if (difference.path === '$.success' && refused && line.endpoint === 'authverify2.as' && real && typeof real.success !== typeof sandbox.success)
      return { path: ['mantun', 'authverifyFailureSuccess'], value: typeof real.success === 'string' ? 'string' : 'boolean' };
    if ((difference.path === '$.code' || difference.path === '$.message' || difference.path === 'status') && refused && real) {
      const kind = errorKindOf(String(sandbox.code));
      if (!kind || typeof real.code !== 'string' || typeof real.message !== 'string') return undefined;
      const value: Record<string, unknown> = { code: real.code, message: real.message };
      if (line.response && line.response.status !== answer.status) value.status = line.response.status;
      return { path: ['mantun', 'errors', kind], value };
    }
    if (difference.path === '$.data.expiresIn' && (line.endpoint === 'token.as' || line.endpoint === 'refresh.as') && typeof difference.realValue === 'number')
      return { path: ['mantun', 'policy', 'lifetimes', 'access'], value: difference.realValue };
    return undefined;
  },

  busy(line, errorKindOf) {
    const answer = answerJson(line);
    if (!answer || typeof answer.code !== 'string' || succeeded(line)) return undefined;
    return errorKindOf(answer.code) === 'service_unavailable' ? `code "${answer.code}"` : undefined;
  },

  timestamp: {
    sent: (line) => (line.endpoint === 'router.as' ? field(line, 'timestamp') : undefined),
    compact: true,
    pastOnly: false,
    verdict(json, errorKindOf) {
      const answer = json as Record<string, unknown> | undefined;
      if (answer?.success === true || answer?.success === 'true') return { verdict: 'accepted' };
      if (!answer || typeof answer.code !== 'string') return undefined;
      const kind = errorKindOf(answer.code);
      // A platform whose timestamp refusal has a code of its own still names the timestamp in its text.
      if (kind === 'invalid_timestamp' || (!kind && /timestamp|时间戳/i.test(String(answer.message))))
        return { verdict: 'refused', code: `code "${answer.code}"` };
      return kind && CHECKED_AFTER_TIMESTAMP.has(kind) ? { verdict: 'accepted' } : undefined;
    },
  },

  isAccountData(line, path) {
    // A business method's answer holds the account's projects, boxes and readings: what only the real account knows.
    return line.endpoint === 'router.as' && path.startsWith('$.data');
  },
};
