import { safeEqual } from '../../core/crypto.js';
import type { Endpoint, PlatformRequest, Reply } from '../../core/platform.js';
import { fail, fixtureOf, guarded, MANTUN, readRouterForm, requireApp, requireParams } from './context.js';
import { MANTUN_METHODS } from './methods.js';
import { mantunSign, parseMantunTimestamp } from './signing.js';

const MUTATING = new Set(['PUT_BOX_CONTROL']);
const ACCESS_FAILURE = { unknown: 'invalid_access_token', expired: 'access_token_expired', grace_expired: 'access_token_expired', revoked: 'access_token_revoked' } as const;

/**
 * §1.5 resource API. Checks in this order, first failure wins: params present, client_id known,
 * sign, timestamp window, access token (this app's, live), method known.
 */
async function router(req: PlatformRequest): Promise<Reply> {
  const params = readRouterForm(req);
  const world = req.world;
  return guarded(params, async () => {
    requireParams(world, params, ['client_id', 'method', 'access_token', 'timestamp', 'sign']);
    const app = requireApp(world, params.client_id);
    if (!safeEqual(params.sign.toLowerCase(), mantunSign(params, app.appSecret))) throw fail(world, 'invalid_sign');
    const fixture = fixtureOf(world);
    const sent = parseMantunTimestamp(params.timestamp, fixture.utcOffsetMinutes);
    if (sent === undefined) throw fail(world, 'invalid_timestamp');
    if (fixture.timestampToleranceSeconds > 0 && Math.abs(world.clock.now() - sent) > fixture.timestampToleranceSeconds * 1000) {
      throw fail(world, 'invalid_timestamp');
    }
    const access = world.tokens.checkAccess(MANTUN, params.access_token);
    if (!access.ok) throw fail(world, ACCESS_FAILURE[access.reason]);
    if (access.value.appId !== app.appKey) throw fail(world, 'invalid_access_token');
    const method = Object.hasOwn(MANTUN_METHODS, params.method) ? MANTUN_METHODS[params.method] : undefined;
    if (!method) throw fail(world, 'unknown_method', params.method);
    const reply = method(world, params);
    if (MUTATING.has(params.method)) await world.persist();
    return reply;
  });
}

export const routerEndpoints: Endpoint[] = [{ method: 'POST', path: '/invoke/router.as', name: 'router.as', tags: ['resource', 'signed'], handle: router }];
