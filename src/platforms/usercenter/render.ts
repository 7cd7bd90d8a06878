import { jsonReply } from '../../core/http/reply.js';
import type { Reply } from '../../core/platform.js';
import type { TokenPair } from '../../core/tokens/lifecycle.js';
import type { Generation, UserCenterUser } from './fixture.js';

/**
 * Token answers in the generation the fixture chose. The seed document's puts a JSON *string* in
 * `result`, with `expires_in` a string inside it; later SDK builds answer a `data` object.
 */
export function tokenReply(pair: TokenPair, generation: Generation): Reply {
  if (generation === 'data') {
    return jsonReply({ status: 1, data: { access_token: pair.access.value, refresh_token: pair.refresh.value } });
  }
  const result = JSON.stringify({ accessToken: pair.access.value, refreshToken: pair.refresh.value, expires_in: String(pair.access.ttl ?? -1) });
  return jsonReply({ status: 1, result });
}

/** destoryToken, checkOauthToken and getTempToken put a text in `result`. */
export const resultReply = (text: string): Reply => jsonReply({ status: 1, result: text });

/** `18812342841` → `188****2841`, as the real service shows mobiles. */
export function maskMobile(mobile: string): string {
  return mobile.length >= 8 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : mobile;
}

/** `zhangsan@example.com` → `zh****@example.com` (Assumed: the real rule for e-mails is not public). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return email;
  return `${email.slice(0, Math.min(2, at - 1) || 1)}****${email.slice(at)}`;
}

/** The getUserByToken user object; fixture `profile` fields are laid over it. */
export function userObject(user: UserCenterUser): Record<string, unknown> {
  return {
    userId: user.userId,
    userCode: user.userCode,
    userName: user.userName,
    userMobile: user.mobile ? maskMobile(user.mobile) : null,
    userEmail: user.email ? maskEmail(user.email) : null,
    userAvator: user.userAvator,
    status: user.status,
    registerDate: user.registerDate,
    ...user.profile,
  };
}
