import { jsonReply } from '../../core/http/reply.js';
import { safeEqual } from '../../core/crypto.js';
import type { Endpoint, PlatformRequest, Reply } from '../../core/platform.js';
import type { TokenPair } from '../../core/tokens/lifecycle.js';
import { fail, fixtureOf, guarded, MANTUN, readOAuthForm, requireApp, requireParams } from './context.js';
import { mantunClientSecret } from './signing.js';

function tokenBody(pair: TokenPair): Reply {
  return jsonReply({
    data: { tokenType: 'Bearer', accessToken: pair.access.value, expiresIn: pair.access.ttl ?? -1, refreshToken: pair.refresh.value },
    success: true,
    code: '0',
  });
}

/** §1.1: uname + passwd → code. The one endpoint whose "success" is a string. */
async function authverify(req: PlatformRequest): Promise<Reply> {
  const params = readOAuthForm(req);
  if ('status' in params) return params as Reply;
  const world = req.world;
  return guarded(params, async () => {
    requireParams(world, params, ['response_type', 'client_id', 'uname', 'passwd'], true);
    if (params.response_type !== 'code') throw fail(world, 'unsupported_response_type', undefined, true);
    const app = requireApp(world, params.client_id, true);
    if (params.redirect_uri !== app.redirectUri) throw fail(world, 'redirect_uri_mismatch', undefined, true);
    const user = fixtureOf(world).users.find((u) => u.uname === params.uname);
    if (!user || user.passwd !== params.passwd || (user.apps && !user.apps.includes(app.appKey))) {
      throw fail(world, 'invalid_credentials', undefined, true);
    }
    const code = world.tokens.issueCode({ platform: MANTUN, appId: app.appKey, subject: user.uname, data: { redirectUri: params.redirect_uri } });
    await world.persist();
    return jsonReply({ code: code.value, success: 'true' });
  });
}

/** §1.2: code → access + refresh. */
async function token(req: PlatformRequest): Promise<Reply> {
  const params = readOAuthForm(req);
  if ('status' in params) return params as Reply;
  const world = req.world;
  return guarded(params, async () => {
    requireParams(world, params, ['client_id', 'client_secret', 'grant_type', 'code']);
    const app = requireApp(world, params.client_id);
    if (params.grant_type !== 'authorization_code') throw fail(world, 'unsupported_grant_type', params.grant_type);
    if (params.redirect_uri !== app.redirectUri) throw fail(world, 'redirect_uri_mismatch');
    const expected = mantunClientSecret(app.appKey, params.grant_type, params.redirect_uri, params.code, app.appSecret);
    if (!safeEqual(params.client_secret.toLowerCase(), expected)) throw fail(world, 'invalid_client_secret', 'code');
    const redeemed = world.tokens.redeemCode(MANTUN, params.code, app.appKey);
    if (!redeemed.ok) throw fail(world, redeemed.reason === 'used' ? 'code_used' : redeemed.reason === 'expired' ? 'code_expired' : 'invalid_code');
    const pair = world.tokens.issuePair({ platform: MANTUN, appId: app.appKey, subject: redeemed.value.subject }, redeemed.value.family);
    await world.persist();
    return tokenBody(pair);
  });
}

/** §1.3: refresh token → new pair (rotation and reuse per policy). */
async function refresh(req: PlatformRequest): Promise<Reply> {
  const params = readOAuthForm(req);
  if ('status' in params) return params as Reply;
  const world = req.world;
  return guarded(params, async () => {
    requireParams(world, params, ['client_id', 'client_secret', 'grant_type', 'refresh_token']);
    const app = requireApp(world, params.client_id);
    if (params.grant_type !== 'refresh_token') throw fail(world, 'unsupported_grant_type', params.grant_type);
    if (params.redirect_uri !== app.redirectUri) throw fail(world, 'redirect_uri_mismatch');
    const expected = mantunClientSecret(app.appKey, 'refresh_token', params.redirect_uri, params.refresh_token, app.appSecret);
    if (!safeEqual(params.client_secret.toLowerCase(), expected)) throw fail(world, 'invalid_client_secret', 'refresh_token');
    const result = world.tokens.refresh(MANTUN, params.refresh_token, app.appKey);
    if (!result.ok) {
      const kind = ({ used: 'refresh_token_used', expired: 'refresh_token_expired', revoked: 'refresh_token_revoked' } as const)[result.reason as 'used'];
      throw fail(world, kind ?? 'invalid_refresh_token');
    }
    await world.persist();
    return tokenBody(result.value);
  });
}

export const oauthEndpoints: Endpoint[] = [
  { method: 'POST', path: '/oauth/authverify2.as', name: 'authverify2.as', tags: ['oauth', 'authorize'], handle: authverify },
  { method: 'POST', path: '/oauth/token.as', name: 'token.as', tags: ['oauth', 'token'], handle: token },
  { method: 'POST', path: '/oauth/refresh.as', name: 'refresh.as', tags: ['oauth', 'token', 'refresh'], handle: refresh },
];
