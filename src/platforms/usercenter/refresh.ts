import { refuse, type UserCenterErrorKind } from './errors.js';
import type { Endpoint, EndpointContext, Reply } from '../../core/platform.js';
import type { RefreshFailure } from '../../core/tokens/lifecycle.js';
import type { UserCenterFixture } from './fixture.js';
import { USERCENTER } from './id.js';
import type { UserCenterIndex } from './lookups.js';
import { pick, readBody, type BodyParams } from './request.js';
import { tokenReply } from './render.js';

/** Unknown, spent, expired and destroyed refresh tokens all get the real service's one text. */
const REFRESH_FAILURE: Record<RefreshFailure, UserCenterErrorKind> = {
  unknown: 'refresh_failed',
  used: 'refresh_failed',
  expired: 'refresh_failed',
  revoked: 'refresh_failed',
  access_still_valid: 'access_not_timeout',
};

/**
 * refreshAccessToken (docs/platforms/usercenter.md#refresh). By default (policy): refused with status 5
 * while the paired access token lives; afterwards a new pair, the old access token revoked, the old
 * refresh token spent.
 */
async function refresh(body: BodyParams, ctx: EndpointContext<UserCenterFixture, UserCenterIndex>): Promise<Reply> {
  const value = pick(body, 'refreshToken');
  if (value === undefined) throw refuse('missing_param', 'refresh_token');
  const result = await ctx.world.tokens.refresh(USERCENTER, value, undefined, 'uuid');
  if (!result.ok) throw refuse(REFRESH_FAILURE[result.reason]);
  return tokenReply(result.value, ctx.index.clients.get(result.value.access.appId)?.generation ?? ctx.fixture.generation);
}

export const refreshEndpoints: Endpoint<UserCenterFixture, UserCenterIndex, BodyParams>[] = [
  { method: 'POST', path: '/oauth/refreshAccessToken', name: 'refreshAccessToken', tags: ['oauth', 'token', 'refresh'], parse: readBody, handle: refresh },
];
