import { safeEqual } from '../../core/crypto.js';
import { refuse } from './errors.js';
import type { Endpoint, EndpointContext, Reply } from '../../core/platform.js';
import type { UserCenterClient, UserCenterFixture, UserCenterUser } from './fixture.js';
import { USERCENTER } from './id.js';
import type { UserCenterIndex } from './lookups.js';
import { pick, readBody, type BodyParams, type Field } from './request.js';
import { tokenReply } from './render.js';
import { usercenterMd5Password, usercenterShaPassword } from './signing.js';
import { acceptValidateCode } from './state.js';

type Ctx = EndpointContext<UserCenterFixture, UserCenterIndex>;

function requireField(body: BodyParams, field: Field, name: string): string {
  const v = pick(body, field);
  if (v === undefined) throw refuse('login_missing_param', name);
  return v;
}

/** Client first (every login names one), then sysid when the fixture asks for the check. */
function requireClient(body: BodyParams, ctx: Ctx): UserCenterClient {
  const clientId = requireField(body, 'clientId', 'client_id');
  const client = ctx.index.clients.get(clientId);
  if (!client) throw refuse('unknown_client', clientId);
  const sysid = pick(body, 'sysid');
  if (ctx.fixture.checkSysid && sysid !== client.sysid) throw refuse('sysid_mismatch', sysid ?? '');
  return client;
}

/** A user who may use this client, or undefined (reported like a wrong password, as a real server would). */
function loginUser(ctx: Ctx, username: string, client: UserCenterClient): UserCenterUser | undefined {
  const user = ctx.index.usersByLogin.get(username);
  if (!user || (user.clients && !user.clients.includes(client.clientId))) return undefined;
  return user;
}

const sameHex = (sent: string, expected: string): boolean => safeEqual(sent.toLowerCase(), expected);

/**
 * `/oauth/token` (docs/platforms/usercenter.md#login): one path, two grants. With md5password/shapassword
 * it is createAccessToken (both hashes are checked), otherwise a validateCode makes it createAccessTokenByValidateCode.
 */
async function token(body: BodyParams, ctx: Ctx): Promise<Reply> {
  const client = requireClient(body, ctx);
  const username = requireField(body, 'username', 'username');
  const md5 = pick(body, 'md5password');
  const sha = pick(body, 'shapassword');
  let user: UserCenterUser | undefined;
  if (md5 !== undefined || sha !== undefined) {
    if (md5 === undefined) throw refuse('login_missing_param', 'md5password');
    if (sha === undefined) throw refuse('login_missing_param', 'shapassword');
    user = loginUser(ctx, username, client);
    if (!user || !sameHex(md5, usercenterMd5Password(user.password)) || !sameHex(sha, usercenterShaPassword(user.password))) throw refuse('bad_credentials');
  } else {
    const code = pick(body, 'validateCode');
    if (code === undefined) throw refuse('login_missing_param', 'validateCode (or md5password and shapassword)');
    user = loginUser(ctx, username, client);
    if (!user || !(await acceptValidateCode(ctx.world, ctx.fixture, user, code))) throw refuse('bad_validate_code');
  }
  const pair = await ctx.world.tokens.issuePair({ platform: USERCENTER, appId: client.clientId, subject: user.userId, format: 'uuid' });
  return tokenReply(pair, client.generation ?? ctx.fixture.generation);
}

export const loginEndpoints: Endpoint<UserCenterFixture, UserCenterIndex, BodyParams>[] = [
  { method: 'POST', path: '/oauth/token', name: 'token', tags: ['oauth', 'token'], parse: readBody, handle: token },
];
