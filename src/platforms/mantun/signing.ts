import { md5Hex } from '../../core/crypto.js';
import { formatLocal, parseLocal } from '../../core/local-time.js';

/**
 * token.as / refresh.as client_secret: md5 of plain concatenation, no separators, raw redirect_uri.
 * `credential` is the code (authorization_code) or the refresh token (refresh_token).
 */
export function mantunClientSecret(appKey: string, grantType: string, redirectUri: string, credential: string, appSecret: string): string {
  return md5Hex(appKey + grantType + redirectUri + credential + appSecret);
}

/** router.as sign: md5 of the values of every other param, ordered by key in code-unit order, then the app secret. */
export function mantunSign(params: Record<string, string>, appSecret: string): string {
  const keys = Object.keys(params).filter((k) => k !== 'sign').sort();
  let text = '';
  for (const k of keys) text += params[k];
  return md5Hex(text + appSecret);
}

/** `yyyyMMddHHmmss` in the platform's local time (minutes east of UTC). */
export function mantunTimestamp(epochMs: number, utcOffsetMinutes = 480): string {
  return formatLocal(epochMs, utcOffsetMinutes, true);
}

/** Inverse of mantunTimestamp; undefined when the text is not a real instant. */
export function parseMantunTimestamp(text: string, utcOffsetMinutes = 480): number | undefined {
  return parseLocal(text, utcOffsetMinutes, true);
}

/** `yyyy-MM-dd HH:mm[:ss]` local time → epoch ms. */
export function parseLocalDateTime(text: string, utcOffsetMinutes = 480): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const utc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0);
  return Number.isNaN(utc) ? undefined : utc - utcOffsetMinutes * 60_000;
}

export function formatLocalDateTime(epochMs: number, utcOffsetMinutes = 480): string {
  const t = mantunTimestamp(epochMs, utcOffsetMinutes);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`;
}
