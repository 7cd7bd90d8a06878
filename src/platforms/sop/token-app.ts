import type { TokenPair } from '../../core/tokens/lifecycle.js';
import { SOP } from './context.js';
import { errorNode, type SopErrorOverrides } from './errors.js';
import type { GatewayMethod, MethodCall } from './methods.js';
import { successNode } from './render.js';

function bizContent(params: Record<string, string>): Record<string, unknown> {
  if (!params.biz_content) return {};
  try {
    const value: unknown = JSON.parse(params.biz_content);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** SOP answers a bad code or token with code 10000 and an OAuth error inside the node (§3.3). */
const oauthError = (error: string, description: string) => successNode({ error, error_description: description });

function tokenFields(pair: TokenPair): Record<string, unknown> {
  return successNode({
    app_auth_token: pair.access.value,
    app_refresh_token: pair.refresh.value,
    user_id: pair.access.subject,
    // -1 and -3 are how SOP says "never" for the token and the refresh token.
    expires_in: pair.access.ttl ?? -1,
    re_expires_in: pair.refresh.ttl ?? -3,
  });
}

async function handle(call: MethodCall): Promise<Record<string, unknown>> {
  const { world, app } = call;
  const biz = bizContent(call.params);
  const grantType = text(biz.grant_type);
  if (!grantType) return errorNode('isv.invalid-parameter', call.locale, call.fixture.errors as SopErrorOverrides);
  if (grantType === 'authorization_code') {
    const code = text(biz.code);
    const redeemed = code ? world.tokens.redeemCode(SOP, code, app.appId) : undefined;
    if (!redeemed?.ok) return oauthError('invalid_request', 'invalid request');
    const pair = world.tokens.issuePair({ platform: SOP, appId: app.appId, subject: redeemed.value.subject }, redeemed.value.family);
    await world.persist();
    return tokenFields(pair);
  }
  if (grantType === 'refresh_token') {
    const refreshToken = text(biz.refresh_token);
    if (!refreshToken) return oauthError('expired_token', 'expired token');
    // SOP forgets a refresh token once it is used or expired, so every failure reads "invalid token".
    const result = world.tokens.refresh(SOP, refreshToken, app.appId);
    if (!result.ok) return oauthError('invalid_token', 'invalid token');
    await world.persist();
    return tokenFields(result.value);
  }
  return oauthError('invalid_grant', 'invalid grant');
}

/** §3.3: authorization code → token pair, and refresh (rotation and the 600 s grace come from the policy). */
export const openAuthTokenApp: GatewayMethod = { name: 'open.auth.token.app', version: '1.0', needsToken: false, handle };
