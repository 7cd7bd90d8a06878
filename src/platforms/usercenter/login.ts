import { safeEqual } from '../../core/crypto.js';
import type { Endpoint, PlatformRequest, Reply } from '../../core/platform.js';
import type { World } from '../../core/world.js';
import { fail, findClient, findUserByLogin, fixtureOf, USERCENTER } from './context.js';
import type { UserCenterClient, UserCenterUser } from './fixture.js';
import { pick, withBody, type BodyParams } from './params.js';
import { usercenterMd5Password, usercenterShaPassword } from './passwords.js';
import { tokenReply } from './render.js';
import { acceptValidateCode } from './validate-codes.js';

function requireField(world: World, body: BodyParams, field: Parameters<typeof pick>[2], name: string): string {
  const v = pick(world, body, field);
  if (v === undefined) throw fail(world, 'login_missing_param', name);
  return v;
}

/** Client first (every login names one), then sysid when the fixture asks for the check. */
function requireClient(world: World, body: BodyParams): UserCenterClient {
  const clientId = requireField(world, body, 'clientId', 'client_id');
  const client = findClient(fixtureOf(world), clientId);
  if (!client) throw fail(world, 'unknown_client', clientId);
  const sysid = pick(world, body, 'sysid');
  if (fixtureOf(world).checkSysid && sysid !== client.sysid) throw fail(world, 'sysid_mismatch', sysid ?? '');
  return client;
}

/** A user who may use this client, or undefined (reported like a wrong password, as a real server would). */
function loginUser(world: World, username: string, client: UserCenterClient): UserCenterUser | undefined {
  const user = findUserByLogin(fixtureOf(world), username);
  if (!user || (user.clients && !user.clients.includes(client.clientId))) return undefined;
  return user;
}

const sameHex = (sent: string, expected: string): boolean => safeEqual(sent.toLowerCase(), expected);

/**
 * §2 `/oauth/token`: one path, two grants. With md5password/shapassword it is createAccessToken
 * (both hashes are checked), otherwise a validateCode makes it createAccessTokenByValidateCode.
 */
function token(req: PlatformRequest): Promise<Reply> {
  return withBody(req, async (body, world) => {
    const client = requireClient(world, body);
    const username = requireField(world, body, 'username', 'username');
    const md5 = pick(world, body, 'md5password');
    const sha = pick(world, body, 'shapassword');
    let user: UserCenterUser | undefined;
    if (md5 !== undefined || sha !== undefined) {
      if (md5 === undefined) throw fail(world, 'login_missing_param', 'md5password');
      if (sha === undefined) throw fail(world, 'login_missing_param', 'shapassword');
      user = loginUser(world, username, client);
      if (!user || !sameHex(md5, usercenterMd5Password(user.password)) || !sameHex(sha, usercenterShaPassword(user.password))) {
        throw fail(world, 'bad_credentials');
      }
    } else {
      const code = pick(world, body, 'validateCode');
      if (code === undefined) throw fail(world, 'login_missing_param', 'validateCode (or md5password and shapassword)');
      user = loginUser(world, username, client);
      if (!user || !acceptValidateCode(world, user, code)) throw fail(world, 'bad_validate_code');
    }
    const pair = world.tokens.issuePair({ platform: USERCENTER, appId: client.clientId, subject: user.userId, format: 'uuid' });
    await world.persist();
    return tokenReply(pair, client.generation ?? fixtureOf(world).generation);
  });
}

export const loginEndpoints: Endpoint[] = [{ method: 'POST', path: '/oauth/token', name: 'token', tags: ['oauth', 'token'], handle: token }];
