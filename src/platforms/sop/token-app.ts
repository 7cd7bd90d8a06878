import { refuse } from './errors.js';
import type { TokenPair } from '../../core/tokens/lifecycle.js';
import { SOP } from './id.js';
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

/**
 * A bad code or token is answered with code 10000 and an OAuth error inside the node
 * (docs/platforms/sop.md#openauthtokenapp): the kinds invalid_request, expired_token, invalid_token, invalid_grant.
 */
async function handle({ ctx, app, params }: MethodCall): Promise<Record<string, unknown>> {
  const world = ctx.world;
  const biz = bizContent(params);
  const grantType = text(biz.grant_type);
  if (!grantType) throw refuse('isv.invalid-parameter');
  if (grantType === 'authorization_code') {
    const code = text(biz.code);
    const exchanged = code
      ? await world.tokens.exchangeCode(SOP, code, app.appId, (c) => ({ platform: SOP, appId: app.appId, subject: c.subject }))
      : undefined;
    if (!exchanged?.ok) throw refuse('invalid_request');
    return tokenFields(exchanged.value);
  }
  if (grantType === 'refresh_token') {
    const refreshToken = text(biz.refresh_token);
    if (!refreshToken) throw refuse('expired_token');
    // SOP forgets a refresh token once it is used or expired, so every failure reads "invalid token".
    const result = await world.tokens.refresh(SOP, refreshToken, app.appId);
    if (!result.ok) throw refuse('invalid_token');
    return tokenFields(result.value);
  }
  throw refuse('invalid_grant');
}

/** Authorization code → token pair, and refresh (rotation and the 600 s grace come from the policy). */
export const openAuthTokenApp: GatewayMethod = { name: 'open.auth.token.app', version: '1.0', needsToken: false, handle };
