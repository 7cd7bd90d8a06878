import { hmacSha1, safeEqual } from '../../core/crypto.js';
import { refuse } from './errors.js';
import type { World } from '../../core/world.js';
import type { ZjrcApp, ZjrcFixture } from './fixture.js';
import type { ZjrcIndex } from './lookups.js';
import { isZjrcScope } from './scopes.js';

/** What a service sees: the verified app and the parsed bizContent object. */
export interface ServiceContext {
  world: World;
  fixture: ZjrcFixture;
  index: ZjrcIndex;
  app: ZjrcApp;
  biz: Record<string, unknown>;
}

/** A bizContent field as text: strings as sent, numbers written out; anything else is a client error. */
export function text(ctx: ServiceContext, name: string): string | undefined {
  const v = ctx.biz[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw refuse('invalid_biz_param', `${name} must be a string, got ${JSON.stringify(v)}`);
}

/** The named fields, all present and non-empty, or one missing_biz_param naming every missing one. */
export function required<const N extends string>(ctx: ServiceContext, names: readonly N[]): Record<N, string> {
  const out = {} as Record<N, string>;
  const missing: string[] = [];
  for (const n of names) {
    const v = text(ctx, n);
    if (v === undefined) missing.push(n);
    else out[n] = v;
  }
  if (missing.length) throw refuse('missing_biz_param', missing.join(', '));
  return out;
}

/**
 * `scopeList: [{"scopeName": "..."}]` → names; bare strings are accepted too. Absent or empty →
 * undefined (the caller decides what that means). Unknown names are refused here.
 */
export function scopeList(ctx: ServiceContext): string[] | undefined {
  const raw = ctx.biz.scopeList;
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (!Array.isArray(raw)) throw refuse('invalid_biz_param', 'scopeList must be an array of {"scopeName": "..."}');
  const names: string[] = [];
  for (const item of raw) {
    const name = typeof item === 'string' ? item : item && typeof item === 'object' ? (item as Record<string, unknown>).scopeName : undefined;
    if (typeof name !== 'string' || name === '') throw refuse('invalid_biz_param', 'scopeList must be an array of {"scopeName": "..."}');
    if (!isZjrcScope(name)) throw refuse('unknown_scope', name);
    if (!names.includes(name)) names.push(name);
  }
  return names.length ? names : undefined;
}

/** Refuse scopes the token or code was not granted, naming them. */
export function requireGranted(asked: readonly string[], granted: readonly string[] | undefined): void {
  const missing = asked.filter((s) => !(granted ?? []).includes(s));
  if (missing.length) throw refuse('scope_not_granted', missing.join(', '));
}

const ENCODING_TEXT = {
  hex: 'lower-case hex (40 characters)',
  base64: 'Base64 (28 characters)',
  either: 'lower-case hex (40 characters) or Base64 (28 characters)',
} as const;

/** clientSign = HMAC-SHA1(data, client_secret), in the encoding(s) the fixture accepts. */
export function checkClientSign(ctx: ServiceContext, sent: string, data: string, dataName: string): void {
  const mode = ctx.fixture.clientSignEncoding;
  const secret = ctx.app.clientSecret;
  const hexOk = mode !== 'base64' && safeEqual(sent.toLowerCase(), hmacSha1(data, secret, 'hex'));
  const b64Ok = mode !== 'hex' && safeEqual(sent, hmacSha1(data, secret, 'base64'));
  if (!hexOk && !b64Ok) throw refuse('invalid_client_sign', dataName, { encoding: ENCODING_TEXT[mode] });
}

const OAUTH_FLAGS = ['1', '2', '3'];

export function checkOauthFlag(ctx: ServiceContext): void {
  const flag = text(ctx, 'oauthFlag');
  if (flag !== undefined && !OAUTH_FLAGS.includes(flag)) {
    throw refuse('invalid_biz_param', `oauthFlag must be 1 (openId), 2 (refresh) or 3 (user info), got ${flag}`);
  }
}
