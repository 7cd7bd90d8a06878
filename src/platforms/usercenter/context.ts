import type { Reply } from '../../core/platform.js';
import type { World } from '../../core/world.js';
import { usercenterError, type UserCenterErrorKind } from './errors.js';
import type { UserCenterClient, UserCenterFixture, UserCenterUser } from './fixture.js';

export const USERCENTER = 'usercenter';

export function fixtureOf(world: World): UserCenterFixture {
  return world.fixture<UserCenterFixture>(USERCENTER);
}

interface Indexes {
  clients: Map<string, UserCenterClient>;
  usersById: Map<string, UserCenterUser>;
  /** Every name a user logs in with: userCode, userName, mobile, email. */
  usersByLogin: Map<string, UserCenterUser>;
}

/** Lookups built once per fixture object, so a request never scans the lists. */
const indexes = new WeakMap<UserCenterFixture, Indexes>();

function indexOf(fixture: UserCenterFixture): Indexes {
  let idx = indexes.get(fixture);
  if (!idx) {
    const usersByLogin = new Map<string, UserCenterUser>();
    for (const u of fixture.users) {
      for (const name of [u.userCode, u.userName, u.mobile, u.email]) {
        if (name && !usersByLogin.has(name)) usersByLogin.set(name, u);
      }
    }
    idx = {
      clients: new Map(fixture.clients.map((c) => [c.clientId, c])),
      usersById: new Map(fixture.users.map((u) => [u.userId, u])),
      usersByLogin,
    };
    indexes.set(fixture, idx);
  }
  return idx;
}

export const findClient = (fixture: UserCenterFixture, clientId: string): UserCenterClient | undefined => indexOf(fixture).clients.get(clientId);
export const findUserById = (fixture: UserCenterFixture, userId: string): UserCenterUser | undefined => indexOf(fixture).usersById.get(userId);
export const findUserByLogin = (fixture: UserCenterFixture, login: string): UserCenterUser | undefined => indexOf(fixture).usersByLogin.get(login);

/** A failure already rendered in UserCenter's shape. */
export class UserCenterFailure {
  constructor(readonly reply: Reply) {}
}

export function fail(world: World, kind: UserCenterErrorKind, detail?: string): UserCenterFailure {
  return new UserCenterFailure(usercenterError(kind, fixtureOf(world).errors, detail));
}

/** Run a handler that throws UserCenterFailure for protocol errors; attach the parsed params for the journal. */
export async function guarded(params: () => Record<string, string> | undefined, run: () => Reply | Promise<Reply>): Promise<Reply> {
  let reply: Reply;
  try {
    reply = await run();
  } catch (e) {
    if (!(e instanceof UserCenterFailure)) throw e;
    reply = e.reply;
  }
  const p = params();
  if (p) reply.params = p;
  return reply;
}
