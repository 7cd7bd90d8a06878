import { refuse, type UserCenterErrorKind } from './errors.js';
import { jsonReply } from '../../core/http/reply.js';
import type { Endpoint, EndpointContext, Reply } from '../../core/platform.js';
import { then, type MaybePromise } from '../../core/state/maybe-async.js';
import type { TokenRecord } from '../../core/state/token-record.js';
import type { UserCenterFixture } from './fixture.js';
import { USERCENTER } from './id.js';
import type { UserCenterIndex } from './lookups.js';
import { pick, readBody, type BodyParams } from './request.js';
import { resultReply, userObject } from './render.js';

type Ctx = EndpointContext<UserCenterFixture, UserCenterIndex>;
type AccessHandler = (token: string, ctx: Ctx) => MaybePromise<Reply>;

/**
 * The endpoints that take an access token. An empty or missing token is `missing_param` (named as
 * the endpoint documents it); every other failure is the endpoint's one answer. The look-ups answer
 * at once from memory and with a promise from a shared store: only a promise is waited for, so an
 * in-memory look-up is answered in the turn it arrived in.
 */
function accessEndpoint(documentedName: string, run: AccessHandler): (body: BodyParams, ctx: Ctx) => MaybePromise<Reply> {
  return (body, ctx) => {
    const token = pick(body, 'accessToken');
    if (token === undefined) throw refuse('missing_param', documentedName);
    return run(token, ctx);
  };
}

/** A live access token, or the endpoint's failure: unknown, expired, refreshed away and destroyed alike. */
function liveAccess(ctx: Ctx, token: string, failure: UserCenterErrorKind): MaybePromise<TokenRecord> {
  return then(ctx.world.tokens.checkAccess(USERCENTER, token), (checked) => {
    if (!checked.ok) throw refuse(failure);
    return checked.value;
  });
}

const check: AccessHandler = (token, ctx) => then(liveAccess(ctx, token, 'invalid_access_token'), () => resultReply(ctx.fixture.successTexts.check));

const getUser: AccessHandler = (token, ctx) =>
  then(liveAccess(ctx, token, 'user_not_found'), (rec) => {
    const user = ctx.index.usersById.get(rec.subject);
    if (!user) throw refuse('user_not_found');
    return jsonReply({ status: 1, user: userObject(user) });
  });

/** Always "succeeds" for a non-empty token, known or not (the real service cannot tell either). */
const destroy: AccessHandler = async (token, ctx) => {
  const world = ctx.world;
  const rec = await world.tokens.find(USERCENTER, 'access', token);
  if (rec) {
    await world.tokens.revoke(rec, 'destroyed');
    if (ctx.fixture.destroyRevokesRefresh && rec.pair) {
      const refresh = await world.tokens.find(USERCENTER, 'refresh', rec.pair);
      if (refresh) await world.tokens.revoke(refresh, 'destroyed');
    }
  }
  return resultReply(ctx.fixture.successTexts.destroy);
};

/** genTokenByAccessToken: a short-lived UUID (Assumed 300 s, `lifetimes.temp`) bound to the access token. */
const tempToken: AccessHandler = async (token, ctx) => {
  const rec = await liveAccess(ctx, token, 'invalid_access_token');
  const temp = await ctx.world.tokens.issue(
    'temp',
    { platform: USERCENTER, appId: rec.appId, subject: rec.subject, data: { accessToken: rec.value }, format: 'uuid' },
    rec.family,
  );
  return resultReply(temp.value);
};

type UserCenterEndpoint = Endpoint<UserCenterFixture, UserCenterIndex, BodyParams>;

export const accessEndpoints: UserCenterEndpoint[] = [
  {
    method: 'POST',
    path: '/user/checkOauthToken',
    name: 'checkOauthToken',
    tags: ['oauth', 'resource'],
    parse: readBody,
    handle: accessEndpoint('accessToken', check),
  },
  { method: 'POST', path: '/user/getUserByToken', name: 'getUserByToken', tags: ['resource'], parse: readBody, handle: accessEndpoint('accessToken', getUser) },
  { method: 'POST', path: '/oauth/destoryToken', name: 'destoryToken', tags: ['oauth'], parse: readBody, handle: accessEndpoint('access_token', destroy) },
  {
    method: 'POST',
    path: '/oauth/getTempToken',
    name: 'getTempToken',
    tags: ['oauth', 'resource'],
    parse: readBody,
    handle: accessEndpoint('accessToken', tempToken),
  },
];
