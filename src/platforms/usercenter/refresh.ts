import type { Endpoint, PlatformRequest, Reply } from '../../core/platform.js';
import { fail, findClient, fixtureOf, USERCENTER } from './context.js';
import { pick, withBody } from './params.js';
import { tokenReply } from './render.js';

/**
 * §2 refreshAccessToken. By default (policy): refused with status 5 while the paired access token
 * lives; afterwards a new pair, the old access token revoked, the old refresh token spent. Unknown,
 * spent, expired and destroyed refresh tokens all get the real service's one text.
 */
function refresh(req: PlatformRequest): Promise<Reply> {
  return withBody(req, async (body, world) => {
    const value = pick(world, body, 'refreshToken');
    if (value === undefined) throw fail(world, 'missing_param', 'refresh_token');
    const result = world.tokens.refresh(USERCENTER, value, undefined, 'uuid');
    if (!result.ok) throw fail(world, result.reason === 'access_still_valid' ? 'access_not_timeout' : 'refresh_failed');
    await world.persist();
    const fixture = fixtureOf(world);
    return tokenReply(result.value, findClient(fixture, result.value.access.appId)?.generation ?? fixture.generation);
  });
}

export const refreshEndpoints: Endpoint[] = [{ method: 'POST', path: '/oauth/refreshAccessToken', name: 'refreshAccessToken', tags: ['oauth', 'token', 'refresh'], handle: refresh }];
