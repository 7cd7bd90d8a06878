import { randomUUID } from 'node:crypto';
import { USERCENTER_ERRORS } from '../platforms/usercenter/errors.js';
import { usercenterMd5Password, usercenterShaPassword } from '../platforms/usercenter/signing.js';
import type { RecordingLine } from '../upstream/recording.js';
import type { PlatformReplay, ReplayRequest } from './platform-replay.js';

/** The known test password the recording's accepted (masked, hashed) password becomes in the replaying sandbox. */
export const USERCENTER_TEST_PASSWORD = 'compare123';

type Json = Record<string, unknown>;
const requestJson = (line: RecordingLine): Json | undefined =>
  (line.request.body && 'json' in line.request.body ? line.request.body.json : undefined) as Json | undefined;
const answerJson = (line: RecordingLine): Json | undefined =>
  (line.response?.body && 'json' in line.response.body ? line.response.body.json : undefined) as Json | undefined;
const isLogin = (line: RecordingLine) => line.request.path.endsWith('/oauth/token');
/** A password login the platform accepted (`status` 1). */
const passwordLogin = (line: RecordingLine) => isLogin(line) && requestJson(line)?.md5password !== undefined && answerJson(line)?.status === 1;

const swapStrings = (v: unknown, swap: (s: string) => string): unknown =>
  typeof v === 'string'
    ? swap(v)
    : Array.isArray(v)
      ? v.map((x) => swapStrings(x, swap))
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swapStrings(x, swap)]))
        : v;

/** A catalogue text as a pattern: `{detail}` stands for whatever the request filled in. */
const textPattern = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`).replace(/\\\{detail\\\}/g, '.*')}$`, 's');

/**
 * A user as the recording shows it: the fields getUserByToken answered, where the recording has that answer.
 * A masked mobile or e-mail (`188****2841`, `te****@example.com`) becomes one the sandbox masks the same way.
 */
function recordedUser(name: string, lines: readonly RecordingLine[]): Json {
  const user: Json = { userId: randomUUID(), userCode: name, userName: name, password: USERCENTER_TEST_PASSWORD };
  const shown = lines.map((l) => (l.endpoint === 'getUserByToken' ? answerJson(l)?.user : undefined)).find((u) => u && typeof u === 'object') as
    Json | undefined;
  if (!shown || (shown.userCode !== name && shown.userName !== name)) return user;
  const text = (k: string) => (typeof shown[k] === 'string' ? (shown[k] as string) : undefined);
  if (text('userId')) user.userId = text('userId');
  if (text('userCode')) user.userCode = text('userCode');
  if (text('userName')) user.userName = text('userName');
  if (text('userMobile')) user.mobile = text('userMobile')!.replace(/\*/g, '0');
  if (text('userEmail')) user.email = text('userEmail')!.replace(/\*+@/, 'xxxx@');
  if (text('userAvator') !== undefined) user.userAvator = text('userAvator');
  if (Number.isInteger(shown.status)) user.status = shown.status;
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text('registerDate') ?? '')) user.registerDate = text('registerDate');
  return user;
}

export const usercenterReplay: PlatformReplay = {
  platform: 'usercenter',

  credentials(lines) {
    const mine = lines.filter((l) => l.platform === 'usercenter');
    const clients = new Map<string, string>();
    for (const l of mine.filter(isLogin)) {
      const body = requestJson(l);
      if (typeof body?.client_id === 'string' && !clients.has(body.client_id)) clients.set(body.client_id, typeof body.sysid === 'string' ? body.sysid : '');
    }
    const users = new Set(mine.filter(passwordLogin).map((l) => String(requestJson(l)!.username)));
    if (clients.size === 0) return undefined;
    return {
      clients: [...clients].map(([clientId, sysid]) => ({ clientId, sysid: sysid || 'sandbox' })),
      ...(users.size ? { users: [...users].map((name) => recordedUser(name, mine)) } : {}),
    };
  },

  request({ line, swap }): ReplayRequest {
    const json = requestJson(line);
    const body = json === undefined ? undefined : (swapStrings(json, swap) as Json);
    if (body && passwordLogin(line)) {
      body.md5password = usercenterMd5Password(USERCENTER_TEST_PASSWORD);
      if ('shapassword' in body) body.shapassword = usercenterShaPassword(USERCENTER_TEST_PASSWORD);
    }
    const query = line.request.query.length ? `?${new URLSearchParams(line.request.query.map(([n, v]) => [n, swap(v)])).toString()}` : '';
    return {
      method: line.request.method,
      path: `${line.request.path}${query}`,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    };
  },

  errorKinds(fixture) {
    // Keyed by the text the sandbox answers (a pattern where the request fills part of it in).
    const overrides = ((fixture as { errors?: Record<string, { msg?: string }> } | undefined)?.errors ?? {}) as Record<string, { msg?: string }>;
    return new Map(USERCENTER_ERRORS.kinds.map((kind) => [overrides[kind]?.msg ?? USERCENTER_ERRORS.entries[kind].msg, kind]));
  },

  setting(line, difference, answer, errorKindOf) {
    const real = answerJson(line);
    const sandbox = answer.json as Json | undefined;
    if (!real || !sandbox) return undefined;
    if (
      sandbox.status !== 1 &&
      typeof sandbox.msg === 'string' &&
      (difference.path === '$.msg' || difference.path === '$.code' || difference.path === '$.status')
    ) {
      const kind = errorKindOf(sandbox.msg);
      if (!kind) return undefined;
      const field = difference.path.slice(2);
      return { path: ['usercenter', 'errors', kind], value: { [field]: real[field] === undefined ? null : real[field] } };
    }
    if (difference.path === '$.result<JSON>.expires_in' && typeof difference.realValue === 'string' && /^\d+$/.test(difference.realValue))
      return { path: ['usercenter', 'policy', 'lifetimes', 'access'], value: Number(difference.realValue) };
    if (difference.path === '$.result' && sandbox.status === 1 && typeof real.result === 'string') {
      if (line.endpoint === 'checkOauthToken') return { path: ['usercenter', 'successTexts', 'check'], value: real.result };
      if (line.endpoint === 'destoryToken') return { path: ['usercenter', 'successTexts', 'destroy'], value: real.result };
    }
    return undefined;
  },

  busy(line, errorKindOf) {
    const answer = answerJson(line);
    if (answer?.status !== 0 || typeof answer.msg !== 'string') return undefined;
    return errorKindOf(answer.msg) === 'service_unavailable' ? `msg ${JSON.stringify(answer.msg)}` : undefined;
  },

  isAccountData(line, path) {
    // The user's own fields: names, ids, contact data, as only the real account holds them.
    return line.endpoint === 'getUserByToken' && /^\$\.(user|result|data)\b/.test(path);
  },
};

/** For errorKinds' keys that hold `{detail}`: the kind whose text the answer matches. */
export function kindOfText(kinds: Map<string, string>, text: string): string | undefined {
  const exact = kinds.get(text);
  if (exact) return exact;
  for (const [pattern, kind] of kinds) if (pattern.includes('{detail}') && textPattern(pattern).test(text)) return kind;
  return undefined;
}
