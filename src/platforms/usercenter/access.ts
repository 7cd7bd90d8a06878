import { jsonReply } from '../../core/http/reply.js';
import type { Endpoint, PlatformRequest, Reply } from '../../core/platform.js';
import type { TokenRecord } from '../../core/state/token-record.js';
import type { World } from '../../core/world.js';
import type { UserCenterErrorKind } from './errors.js';
import { fail, findUserById, fixtureOf, USERCENTER } from './context.js';
import { pick, withBody } from './params.js';
import { resultReply, userObject } from './render.js';

type AccessHandler = (world: World, token: string) => Reply | Promise<Reply>;

/**
 * The endpoints that take an access token. An empty or missing token is `missing_param` (named as
 * the endpoint documents it); every other failure is the endpoint's one answer.
 */
function accessEndpoint(documentedName: string, run: AccessHandler): (req: PlatformRequest) => Promise<Reply> {
  return (req) =>
    withBody(req, (body, world) => {
      const token = pick(world, body, 'accessToken');
      if (token === undefined) throw fail(world, 'missing_param', documentedName);
      return run(world, token);
    });
}

/** A live access token, or the endpoint's failure: unknown, expired, refreshed away and destroyed alike. */
function liveAccess(world: World, token: string, failure: UserCenterErrorKind): TokenRecord {
  const checked = world.tokens.checkAccess(USERCENTER, token);
  if (!checked.ok) throw fail(world, failure);
  return checked.value;
}

const check: AccessHandler = (world, token) => {
  liveAccess(world, token, 'invalid_access_token');
  return resultReply(fixtureOf(world).successTexts.check);
};

const getUser: AccessHandler = (world, token) => {
  const rec = liveAccess(world, token, 'user_not_found');
  const user = findUserById(fixtureOf(world), rec.subject);
  if (!user) throw fail(world, 'user_not_found');
  return jsonReply({ status: 1, user: userObject(user) });
};

/** Always "succeeds" for a non-empty token, known or not (the real service cannot tell either). */
const destroy: AccessHandler = async (world, token) => {
  const found = world.tokens.checkAccess(USERCENTER, token);
  const rec = found.ok ? found.value : found.record;
  if (rec) {
    world.tokens.revoke(rec, 'destroyed');
    if (fixtureOf(world).destroyRevokesRefresh && rec.pair) {
      const paired = world.tokens.checkAccess(USERCENTER, rec.pair, 'refresh');
      const refresh = paired.ok ? paired.value : paired.record;
      if (refresh) world.tokens.revoke(refresh, 'destroyed');
    }
    await world.persist();
  }
  return resultReply(fixtureOf(world).successTexts.destroy);
};

/** genTokenByAccessToken: a short-lived UUID (Assumed 300 s, `lifetimes.temp`) bound to the access token. */
const tempToken: AccessHandler = async (world, token) => {
  const rec = liveAccess(world, token, 'invalid_access_token');
  const temp = world.tokens.issue('temp', { platform: USERCENTER, appId: rec.appId, subject: rec.subject, data: { accessToken: rec.value }, format: 'uuid' }, rec.family);
  await world.persist();
  return resultReply(temp.value);
};

export const accessEndpoints: Endpoint[] = [
  { method: 'POST', path: '/user/checkOauthToken', name: 'checkOauthToken', tags: ['oauth', 'resource'], handle: accessEndpoint('accessToken', check) },
  { method: 'POST', path: '/user/getUserByToken', name: 'getUserByToken', tags: ['resource'], handle: accessEndpoint('accessToken', getUser) },
  { method: 'POST', path: '/oauth/destoryToken', name: 'destoryToken', tags: ['oauth'], handle: accessEndpoint('access_token', destroy) },
  { method: 'POST', path: '/oauth/getTempToken', name: 'getTempToken', tags: ['oauth', 'resource'], handle: accessEndpoint('accessToken', tempToken) },
];
