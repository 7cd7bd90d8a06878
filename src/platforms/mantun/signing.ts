import { md5Hex } from '../../core/crypto.js';
import { formatLocal, parseLocal } from '../../core/time/local-time.js';
import type { SignedRequest, SigningFace } from '../../core/platform.js';
import { need, pickEntry } from '../../core/signing/sign-input.js';
import type { MantunFixture } from './fixture.js';

/**
 * token.as / refresh.as client_secret: md5 of plain concatenation, no separators, raw redirect_uri.
 * `credential` is the code (authorization_code) or the refresh token (refresh_token).
 */
export function mantunClientSecret(appKey: string, grantType: string, redirectUri: string, credential: string, appSecret: string): string {
  return md5Hex(appKey + grantType + redirectUri + credential + appSecret);
}

/** router.as sign: md5 of the values of every other param, ordered by key in code-unit order, then the app secret. */
export function mantunSign(params: Record<string, string>, appSecret: string): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign')
    .sort();
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

/** `sandbox sign mantun token|refresh|router`: client_secret for the OAuth endpoints, sign for router.as. */
export const mantunSigning: SigningFace<MantunFixture> = {
  actions: ['token', 'refresh', 'router'],
  options: {
    code: 'mantun token: the authorization code',
    'refresh-token': 'mantun refresh: the refresh token',
    'redirect-uri': 'mantun token/refresh: redirect_uri (default: the app’s)',
    'access-token': 'mantun router: the access token',
    method: 'mantun router: the method (GET_BOXES, ...)',
  },
  sign(fx, action, input): SignedRequest {
    const app = pickEntry(fx.apps, input.app, (a) => a.appKey, 'mantun app');
    const about = `mantun app ${app.appKey}`;
    if (action === 'token' || action === 'refresh') {
      const redirectUri = (input.redirectUri as string | undefined) ?? app.redirectUri;
      const grant = action === 'token' ? 'authorization_code' : 'refresh_token';
      const credential =
        action === 'token' ? need(input, 'code', 'the code authverify2.as answered') : need(input, 'refreshToken', 'the refresh token to exchange');
      const clientSecret = mantunClientSecret(app.appKey, grant, redirectUri, credential, app.appSecret);
      const form: Record<string, string> = {
        client_id: app.appKey,
        client_secret: clientSecret,
        grant_type: grant,
        redirect_uri: redirectUri,
        [action === 'token' ? 'code' : 'refresh_token']: credential,
      };
      return {
        about: `${about}, redirect_uri ${redirectUri}`,
        values: { client_secret: clientSecret },
        request: { method: 'POST', path: action === 'token' ? '/oauth/token.as' : '/oauth/refresh.as', form: { ...form, ...input.params } },
      };
    }
    if (action === 'router') {
      const params: Record<string, string> = {
        client_id: app.appKey,
        method: need(input, 'method', 'the router.as method, e.g. GET_BOXES'),
        access_token: need(input, 'accessToken', 'the access token token.as answered'),
        timestamp: input.timestamp ?? mantunTimestamp(input.at, fx.utcOffsetMinutes),
        ...input.params,
      };
      const sign = mantunSign(params, app.appSecret);
      return { about, values: { timestamp: params.timestamp, sign }, request: { method: 'POST', path: '/invoke/router.as', form: { ...params, sign } } };
    }
    throw new Error(`mantun signs: token (client_secret for token.as), refresh (client_secret for refresh.as) or router (sign for router.as); got "${action}"`);
  },
};
