import type { MaybePromise } from '../../core/state/maybe-async.js';
import type { TokenPair } from '../../core/tokens/lifecycle.js';
import type { AccessFailure, CodeFailure, RefreshFailure } from '../../core/tokens/lifecycle.js';
import { checkClientSign, checkOauthFlag, required, requireGranted, scopeList, text, type ServiceContext } from './request.js';
import { refuse, type ZjrcErrorKind } from './errors.js';
import { ZJRC } from './id.js';
import { openIdOf, refreshKey, type ZjrcState } from './state.js';
import { fieldsOf } from './scopes.js';

export type Service = (ctx: ServiceContext) => Promise<Record<string, unknown>>;

const CODE_FAILURE: Record<CodeFailure, ZjrcErrorKind> = { unknown: 'invalid_code', expired: 'code_expired', used: 'code_used' };
const REFRESH_FAILURE: Record<RefreshFailure, ZjrcErrorKind> = {
  unknown: 'invalid_refresh_token',
  expired: 'refresh_token_expired',
  used: 'refresh_token_used',
  revoked: 'refresh_token_revoked',
  access_still_valid: 'access_token_still_valid',
};
const ACCESS_FAILURE: Record<AccessFailure, ZjrcErrorKind> = {
  unknown: 'invalid_access_token',
  expired: 'access_token_expired',
  grace_expired: 'access_token_expired',
  revoked: 'access_token_revoked',
};

/** Remember the newest refresh token of (app, openId) for the older refresh method. */
function rememberRefresh(ctx: ServiceContext, openId: string, refreshToken: string): MaybePromise<void> {
  return ctx.world.updateState<ZjrcState, void>(ZJRC, (state) => {
    state.currentRefresh[refreshKey(ctx.app.appId, openId)] = refreshToken;
  });
}

const expiresIn = (pair: TokenPair): string => String(pair.access.ttl ?? -1);

/** code + clientSign → openId and a token pair carrying the granted scopes (or the narrower scopeList). */
const getOpenId: Service = async (ctx) => {
  const p = required(ctx, ['code', 'clientSign']);
  const asked = scopeList(ctx);
  checkClientSign(ctx, p.clientSign, p.code, 'code');
  const redeemed = await ctx.world.tokens.redeemCode(ZJRC, p.code, ctx.app.appId);
  if (!redeemed.ok) throw refuse(CODE_FAILURE[redeemed.reason]);
  const code = redeemed.value;
  if (asked) requireGranted(asked, code.scopes);
  const openId = openIdOf(ctx.app.appId, code.subject);
  const pair = await ctx.world.tokens.issuePair(
    { platform: ZJRC, appId: ctx.app.appId, subject: code.subject, scopes: asked ?? code.scopes ?? [], data: { openId } },
    code.family,
  );
  await rememberRefresh(ctx, openId, pair.refresh.value);
  return { openId, accessToken: pair.access.value, expiresIn: expiresIn(pair), refreshToken: pair.refresh.value };
};

/** The shared refresh: the token must be this app's and this openId's, and cover any scopeList. */
async function refreshWith(ctx: ServiceContext, openId: string, refreshToken: string): Promise<Record<string, unknown>> {
  const asked = scopeList(ctx);
  // Read-only look before the lifecycle spends the token, so a mismatch does not burn it.
  const rec = await ctx.world.tokens.find(ZJRC, 'refresh', refreshToken);
  if (rec && rec.appId === ctx.app.appId) {
    if (rec.data?.openId !== openId) throw refuse('openid_mismatch');
    if (asked) requireGranted(asked, rec.scopes);
  }
  const result = await ctx.world.tokens.refresh(ZJRC, refreshToken, ctx.app.appId);
  if (!result.ok) throw refuse(REFRESH_FAILURE[result.reason]);
  await rememberRefresh(ctx, openId, result.value.refresh.value);
  return { accessToken: result.value.access.value, expiresIn: expiresIn(result.value), refreshToken: result.value.refresh.value };
}

/** zjrcuoip.system.base.oauth.token.refresh.new: clientSign = HMAC-SHA1(refreshToken, client_secret). */
const refreshNew: Service = async (ctx) => {
  const p = required(ctx, ['openId', 'refreshToken', 'clientSign']);
  checkOauthFlag(ctx);
  checkClientSign(ctx, p.clientSign, p.refreshToken, 'refreshToken');
  return refreshWith(ctx, p.openId, p.refreshToken);
};

/**
 * The older zjrcuoip.system.base.oauth.token.refresh sends no refreshToken (Assumed): the platform
 * refreshes the newest refresh token it issued to this openId, and clientSign is HMAC-SHA1(openId).
 * When a client does send refreshToken, it behaves exactly like the .new method.
 */
const refreshOld: Service = async (ctx) => {
  if (text(ctx, 'refreshToken') !== undefined) return refreshNew(ctx);
  const p = required(ctx, ['openId', 'clientSign']);
  checkOauthFlag(ctx);
  checkClientSign(ctx, p.clientSign, p.openId, 'openId');
  const current = (await ctx.world.readState<ZjrcState>(ZJRC)).currentRefresh[refreshKey(ctx.app.appId, p.openId)];
  if (current === undefined) throw refuse('invalid_refresh_token');
  return refreshWith(ctx, p.openId, current);
};

/** Exactly the fields of the asked scopes (all granted ones when scopeList is absent). */
const userInfo: Service = async (ctx) => {
  const p = required(ctx, ['openId', 'accessToken']);
  const asked = scopeList(ctx);
  const access = await ctx.world.tokens.checkAccess(ZJRC, p.accessToken);
  if (!access.ok) throw refuse(ACCESS_FAILURE[access.reason]);
  const token = access.value;
  if (token.appId !== ctx.app.appId) throw refuse('invalid_access_token');
  if (token.data?.openId !== p.openId) throw refuse('openid_mismatch');
  const scopes = asked ?? token.scopes ?? [];
  requireGranted(scopes, token.scopes);
  const profile = ctx.index.users.get(token.subject)?.profile ?? {};
  const out: Record<string, unknown> = {};
  for (const field of fieldsOf(scopes, ctx.fixture.scopeFields)) {
    if (field === 'openId') out.openId = p.openId;
    else if (profile[field] !== undefined) out[field] = profile[field];
  }
  return out;
};

/** Gateway methods by name (docs/platforms/zjrc.md#services). */
export const ZJRC_SERVICES: Readonly<Record<string, Service>> = {
  'zjrcuoip.oauth.get.openId.new': getOpenId,
  'zjrcuoip.system.base.oauth.token.refresh.new': refreshNew,
  'zjrcuoip.system.oauth.userinfo.query.new': userInfo,
  'zjrcuoip.system.base.oauth.token.refresh': refreshOld,
};
