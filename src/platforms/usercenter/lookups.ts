import type { UserCenterClient, UserCenterFixture, UserCenterUser } from './fixture.js';

/** Lookups over one fixture, built once per load, so a request never scans the lists. */
export interface UserCenterIndex {
  clients: ReadonlyMap<string, UserCenterClient>;
  usersById: ReadonlyMap<string, UserCenterUser>;
  /** Every name a user logs in with: userCode, userName, mobile, email. */
  usersByLogin: ReadonlyMap<string, UserCenterUser>;
}

export function indexUserCenter(fixture: UserCenterFixture): UserCenterIndex {
  const usersByLogin = new Map<string, UserCenterUser>();
  for (const u of fixture.users) {
    for (const name of [u.userCode, u.userName, u.mobile, u.email]) {
      if (name && !usersByLogin.has(name)) usersByLogin.set(name, u);
    }
  }
  return {
    clients: new Map(fixture.clients.map((c) => [c.clientId, c])),
    usersById: new Map(fixture.users.map((u) => [u.userId, u])),
    usersByLogin,
  };
}
