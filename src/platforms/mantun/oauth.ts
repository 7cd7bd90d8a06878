import type { MaybePromise } from '../../core/state/maybe-async.js';
import { safeEqual } from '../../core/crypto.js';
import { refuse, type MantunEndpoint, type MantunErrorKind } from './errors.js';
import { jsonReply } from '../../core/http/reply.js';
import type { EndpointContext, Reply } from '../../core/platform.js';
import type { CodeFailure, RefreshFailure, Result, TokenPair } from '../../core/tokens/lifecycle.js';
import type { MantunApp, MantunFixture } from './fixture.js';
import { readOAuthForm, requireParams, type Params } from './request.js';
import type { MantunIndex } from './lookups.js';
import { MANTUN } from './id.js';
import { mantunClientSecret } from './signing.js';

type Ctx = EndpointContext<MantunFixture, MantunIndex>;

function requireApp(ctx: Ctx, appKey: string): MantunApp {
  const app = ctx.index.apps.get(appKey);
  if (!app) throw refuse('unknown_client', appKey);
  return app;
}

function tokenBody(pair: TokenPair): Reply {
  return jsonReply({
    data: { tokenType: 'Bearer', accessToken: pair.access.value, expiresIn: pair.access.ttl ?? -1, refreshToken: pair.refresh.value },
    success: true,
    code: '0',
  });
}

/** uname + passwd → code (docs/platforms/mantun.md#authverify2as). The one endpoint whose "success" is a string. */
async function authverify(params: Params, ctx: Ctx): Promise<Reply> {
  requireParams(params, ['response_type', 'client_id', 'uname', 'passwd']);
  if (params.response_type !== 'code') throw refuse('unsupported_response_type');
  const app = requireApp(ctx, params.client_id);
  if (params.redirect_uri !== app.redirectUri) throw refuse('redirect_uri_mismatch');
  const user = ctx.index.users.get(params.uname);
  if (!user || user.passwd !== params.passwd || (user.apps && !user.apps.includes(app.appKey))) throw refuse('invalid_credentials');
  const code = await ctx.world.tokens.issueCode({ platform: MANTUN, appId: app.appKey, subject: user.uname, data: { redirectUri: params.redirect_uri } });
  return jsonReply({ code: code.value, success: 'true' });
}

/** What differs between token.as and refresh.as: one row each, the rest is one endpoint (navikt's grant table). */
interface Grant<F extends string> {
  grantType: string;
  /** The param holding what the client exchanges (and what its client_secret covers). */
  credential: 'code' | 'refresh_token';
  exchange(ctx: Ctx, app: MantunApp, credential: string): MaybePromise<Result<TokenPair, F>>;
  failures: Record<F, MantunErrorKind>;
}

const CODE_FAILURES: Record<CodeFailure, MantunErrorKind> = { unknown: 'invalid_code', used: 'code_used', expired: 'code_expired' };
const REFRESH_FAILURES: Record<RefreshFailure, MantunErrorKind> = {
  unknown: 'invalid_refresh_token',
  used: 'refresh_token_used',
  expired: 'refresh_token_expired',
  revoked: 'refresh_token_revoked',
  // Mantun has no "access token still valid" rule of its own; a scenario that sets one reads as an invalid token.
  access_still_valid: 'invalid_refresh_token',
};

const authorizationCode: Grant<CodeFailure> = {
  grantType: 'authorization_code',
  credential: 'code',
  exchange: (ctx, app, code) => ctx.world.tokens.exchangeCode(MANTUN, code, app.appKey, (c) => ({ platform: MANTUN, appId: app.appKey, subject: c.subject })),
  failures: CODE_FAILURES,
};

const refreshToken: Grant<RefreshFailure> = {
  grantType: 'refresh_token',
  credential: 'refresh_token',
  exchange: (ctx, app, token) => ctx.world.tokens.refresh(MANTUN, token, app.appKey),
  failures: REFRESH_FAILURES,
};

/** token.as and refresh.as: client, grant_type, redirect_uri, client_secret, then the exchange. */
function grantHandler<F extends string>(grant: Grant<F>) {
  return async (params: Params, ctx: Ctx): Promise<Reply> => {
    requireParams(params, ['client_id', 'client_secret', 'grant_type', grant.credential]);
    const app = requireApp(ctx, params.client_id);
    if (params.grant_type !== grant.grantType) throw refuse('unsupported_grant_type', params.grant_type);
    if (params.redirect_uri !== app.redirectUri) throw refuse('redirect_uri_mismatch');
    const credential = params[grant.credential];
    const expected = mantunClientSecret(app.appKey, grant.grantType, params.redirect_uri, credential, app.appSecret);
    if (!safeEqual(params.client_secret.toLowerCase(), expected)) throw refuse('invalid_client_secret', grant.credential);
    const result = await grant.exchange(ctx, app, credential);
    if (!result.ok) throw refuse(grant.failures[result.reason]);
    return tokenBody(result.value);
  };
}

export const oauthEndpoints: MantunEndpoint<Params>[] = [
  {
    method: 'POST',
    path: '/oauth/authverify2.as',
    name: 'authverify2.as',
    surface: 'login',
    tags: ['oauth', 'authorize'],
    parse: readOAuthForm,
    handle: authverify,
  },
  {
    method: 'POST',
    path: '/oauth/token.as',
    name: 'token.as',
    surface: 'api',
    tags: ['oauth', 'token'],
    parse: readOAuthForm,
    handle: grantHandler(authorizationCode),
  },
  {
    method: 'POST',
    path: '/oauth/refresh.as',
    name: 'refresh.as',
    surface: 'api',
    tags: ['oauth', 'token', 'refresh'],
    parse: readOAuthForm,
    handle: grantHandler(refreshToken),
  },
];
