import { safeEqual } from '../../core/crypto.js';
import { refuse, refuseWithNote, type MantunEndpoint, type MantunErrorKind } from './errors.js';
import type { EndpointContext, Reply } from '../../core/platform.js';
import { checkTimestampWindow, unreadableTimestampNote } from '../../core/time/timestamp-window.js';
import type { AccessFailure } from '../../core/tokens/lifecycle.js';
import type { MantunFixture } from './fixture.js';
import { readRouterForm, requireParams, type Params } from './request.js';
import type { MantunIndex } from './lookups.js';
import { MANTUN } from './id.js';
import { MANTUN_METHODS } from './methods.js';
import { mantunSign, parseMantunTimestamp } from './signing.js';

type Ctx = EndpointContext<MantunFixture, MantunIndex>;

const ACCESS_FAILURE: Record<AccessFailure, MantunErrorKind> = {
  unknown: 'invalid_access_token',
  expired: 'access_token_expired',
  grace_expired: 'access_token_expired',
  revoked: 'access_token_revoked',
};

/**
 * The resource API (docs/platforms/mantun.md#routeras). Checks in this order, first failure wins:
 * params present, client_id known, sign, timestamp window, access token (this app's, live), method known.
 */
async function router(params: Params, ctx: Ctx): Promise<Reply> {
  requireParams(params, ['client_id', 'method', 'access_token', 'timestamp', 'sign']);
  const app = ctx.index.apps.get(params.client_id);
  if (!app) throw refuse('unknown_client', params.client_id);
  if (!safeEqual(params.sign.toLowerCase(), mantunSign(params, app.appSecret))) throw refuse('invalid_sign');
  const fixture = ctx.fixture;
  const sent = parseMantunTimestamp(params.timestamp, fixture.utcOffsetMinutes);
  if (sent === undefined) throw refuseWithNote('invalid_timestamp', unreadableTimestampNote(params.timestamp, 'yyyyMMddHHmmss'));
  const window = checkTimestampWindow(sent, ctx.world.clock.now(), {
    toleranceSeconds: fixture.timestampToleranceSeconds,
    utcOffsetMinutes: fixture.utcOffsetMinutes,
  });
  if (!window.ok) throw refuseWithNote('invalid_timestamp', window.note);
  const access = await ctx.world.tokens.checkAccess(MANTUN, params.access_token);
  if (!access.ok) throw refuse(ACCESS_FAILURE[access.reason]);
  if (access.value.appId !== app.appKey) throw refuse('invalid_access_token');
  const method = Object.hasOwn(MANTUN_METHODS, params.method) ? MANTUN_METHODS[params.method] : undefined;
  if (!method) throw refuse('unknown_method', params.method);
  return method(params, ctx);
}

export const routerEndpoints: MantunEndpoint<Params>[] = [
  { method: 'POST', path: '/invoke/router.as', name: 'router.as', surface: 'api', tags: ['resource', 'signed'], parse: readRouterForm, handle: router },
];
