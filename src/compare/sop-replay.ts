import { signSopRequest } from '../platforms/sop/signing.js';
import type { RecordingLine } from '../upstream/recording.js';
import type { PlatformReplay, ReplayRequest } from './platform-replay.js';
import { movedAlone } from './field-order.js';
import { testKeys } from './test-keys.js';

/** The known test password the recording's accepted (masked) password becomes in the replaying sandbox. */
export const SOP_TEST_PASSWORD = 'compare123';

const formPairs = (line: RecordingLine): [string, string][] => {
  const body = line.request.body;
  return body && 'form' in body ? body.form : [];
};
const field = (line: RecordingLine, name: string) => [...line.request.query, ...formPairs(line)].find(([n]) => n === name)?.[1];
const location = (line: RecordingLine) => line.response?.headers.find(([n]) => n.toLowerCase() === 'location')?.[1];
const isLogin = (line: RecordingLine) => line.request.path.endsWith('/oauth2/authorize') && line.request.method === 'POST';
/** A login the platform accepted: a 302 whose Location carries a code. */
const loggedIn = (line: RecordingLine) => isLogin(line) && /[?&]code=/.test(location(line) ?? '');
const answerJson = (line: RecordingLine) => (line.response?.body && 'json' in line.response.body ? line.response.body.json : undefined);

/** The response node of a gateway answer (`<method>_response` or `error_response`) and its key. */
function responseNode(json: unknown): [string, Record<string, unknown>] | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const entry = Object.entries(json as Record<string, unknown>).find(([k, v]) => k.endsWith('_response') && v && typeof v === 'object');
  return entry as [string, Record<string, unknown>] | undefined;
}

/** Every string in a JSON text passed through `swap` (biz_content carries codes and refresh tokens). */
function swapJsonText(text: string, swap: (v: string) => string): string {
  try {
    const walk = (v: unknown): unknown =>
      typeof v === 'string'
        ? swap(v)
        : Array.isArray(v)
          ? v.map(walk)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
            : v;
    return JSON.stringify(walk(JSON.parse(text)));
  } catch {
    return swap(text);
  }
}

export const sopReplay: PlatformReplay = {
  platform: 'sop',

  credentials(lines) {
    const mine = lines.filter((l) => l.platform === 'sop');
    const apps = new Set<string>();
    for (const l of mine) {
      const id = isLogin(l) ? field(l, 'client_id') : field(l, 'app_id');
      if (id) apps.add(id);
    }
    if (apps.size === 0) return undefined;
    const userIds = mine.map((l) => responseNode(answerJson(l))?.[1].user_id).filter((u): u is string => typeof u === 'string');
    const users = new Set(mine.filter(loggedIn).map((l) => field(l, 'username')!));
    const { publicKey, privateKey } = testKeys();
    return {
      apps: [...apps].map((appId) => ({ appId, publicKey, privateKey })),
      ...(users.size ? { users: [...users].map((username, i) => ({ username, password: SOP_TEST_PASSWORD, userId: userIds[i] ?? '2088000000000001' })) } : {}),
    };
  },

  request({ line, swap }): ReplayRequest {
    const params: Record<string, string> = {};
    for (const [name, value] of formPairs(line)) params[name] = name === 'sign' ? value : name === 'biz_content' ? swapJsonText(value, swap) : swap(value);
    if (isLogin(line) && loggedIn(line) && 'password' in params) params.password = SOP_TEST_PASSWORD;
    const signed = !isLogin(line) && 'sign' in params ? signSopRequest(params, testKeys().privateKey) : params;
    const query = line.request.query.length ? `?${new URLSearchParams(line.request.query.map(([n, v]) => [n, swap(v)])).toString()}` : '';
    const headers: Record<string, string> = {};
    for (const [n, v] of line.request.headers) if (['content-type', 'accept-language'].includes(n.toLowerCase())) headers[n.toLowerCase()] = v;
    return {
      method: line.request.method,
      path: `${line.request.path}${query}`,
      headers,
      ...(formPairs(line).length ? { body: new URLSearchParams(signed).toString() } : {}),
    };
  },

  errorKinds() {
    // The sandbox names its error kind in the answer itself: sub_code.
    return new Map();
  },

  setting(line, difference, answer) {
    const real = answerJson(line);
    const sandboxNode = responseNode(answer.json);
    const realNode = responseNode(real);
    if (!sandboxNode) return undefined;
    const [key, node] = sandboxNode;
    const language = line.request.headers.find(([n]) => n.toLowerCase() === 'accept-language')?.[1] ?? '';
    const locale = /^en/i.test(language.trim()) ? 'en' : 'zh';
    if (difference.path === '$.sign' && node.sub_code !== undefined && real && typeof real === 'object' && !('sign' in real))
      return { path: ['sop', 'signErrors'], value: false };
    const subCode = node.sub_code;
    if (typeof subCode === 'string' && realNode && realNode[1].sub_code === subCode) {
      if (difference.path === `$.${key}.sub_msg` && typeof realNode[1].sub_msg === 'string')
        return { path: ['sop', 'errors', subCode], value: { [locale]: realNode[1].sub_msg } };
      if (difference.path === `$.${key}.code` && typeof realNode[1].code === 'string')
        return { path: ['sop', 'errors', subCode], value: { code: realNode[1].code } };
    }
    // Of the node's order only request_id's place is a setting; any other move needs a change of the sandbox.
    if ('about' in difference && difference.about === 'order') {
      const place = difference.path === `$.${key}` ? movedAlone(difference, 'request_id') : undefined;
      return place ? { path: ['sop', 'requestIdPosition'], value: place } : undefined;
    }
    if (difference.path === `$.${key}.expires_in` && typeof difference.realValue === 'number' && difference.realValue > 0)
      return { path: ['sop', 'policy', 'lifetimes', 'access'], value: difference.realValue };
    if (difference.path === `$.${key}.re_expires_in` && typeof difference.realValue === 'number' && difference.realValue > 0)
      return { path: ['sop', 'policy', 'lifetimes', 'refresh'], value: difference.realValue };
    return undefined;
  },

  orderedObjects(real) {
    // The SDKs verify `sign` over the node's text as sent, cut out of the body from the node's name to `"sign"`:
    // the node's field order and the body's (node, then sign) are what they check.
    const node = responseNode(real);
    return node ? [[], [node[0]]] : [];
  },

  busy(line) {
    const node = responseNode(answerJson(line))?.[1];
    // isp.unknown-error is also the answer to a call without a timestamp: only with one is it the platform's "busy".
    if (node?.code !== '20000' || node.sub_code !== 'isp.unknown-error' || !field(line, 'timestamp')) return undefined;
    return 'sub_code "isp.unknown-error"';
  },

  timestamp: {
    sent: (line) => (isLogin(line) ? undefined : field(line, 'timestamp')),
    compact: false,
    pastOnly: true,
    verdict(json) {
      const node = responseNode(json)?.[1];
      if (!node) return undefined;
      if (node.sub_code === 'isv.invalid-timestamp') return { verdict: 'refused', code: 'sub_code "isv.invalid-timestamp"' };
      // Success, and what the gateway checks after the timestamp: the format, the app_auth_token, the business method.
      if (node.code === '10000' || node.code === '20001' || node.code === '40004' || node.sub_code === 'isv.invalid-format') return { verdict: 'accepted' };
      return undefined;
    },
  },

  isAccountData(line, path) {
    // A business method's answer holds the account's data; the token call's and the login's are protocol.
    const method = line.apiMethod;
    return method !== undefined && method !== 'open.auth.token.app' && /_response\./.test(path) && !/_response\.(code|msg|sub_code|sub_msg)$/.test(path);
  },
};
