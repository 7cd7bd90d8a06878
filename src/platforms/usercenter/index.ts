import type { Credential, PlatformDefinition } from '../../core/platform.js';
import { applyPolicy, type PolicyOverride, platformPolicy } from '../../core/tokens/policy.js';
import { accessEndpoints } from './access.js';
import { validateCodeRoutes } from './admin.js';
import { renderUserCenterError, USERCENTER_ERRORS } from './errors.js';
import type { UserCenterFixture } from './fixture.js';
import { USERCENTER } from './id.js';
import { loginEndpoints } from './login.js';
import { indexUserCenter, type UserCenterIndex } from './lookups.js';
import { refreshEndpoints } from './refresh.js';
import { usercenterMd5Password, usercenterShaPassword, usercenterSigning } from './signing.js';
import { initialUserCenterState, type UserCenterState } from './state.js';

/**
 * Access 86400 s is documented; refresh (refreshFactor × access) and temp 300 s are Assumed
 * (docs/platforms/usercenter.md#lifetimes). The refresh rules are the real service's: status 5 while
 * the access token lives, the old access token dies, the old refresh token is single-use.
 */
const BASE_POLICY = platformPolicy(
  { code: null, access: 86400, refresh: null, temp: 300 },
  { oldAccessAfterRefresh: 'revoke', refreshRequiresExpiredAccess: true },
);

/** A client's own policy; unless a fixture sets the refresh lifetime, it is refreshFactor × the access lifetime. */
function appPolicy(fixture: UserCenterFixture, index: UserCenterIndex, clientId: string): PolicyOverride | undefined {
  const own = index.clients.get(clientId)?.policy;
  if (fixture.policy?.lifetimes?.refresh !== undefined || own?.lifetimes?.refresh !== undefined) return own;
  const access = applyPolicy(BASE_POLICY, fixture.policy, own).lifetimes.access;
  return { ...own, lifetimes: { ...own?.lifetimes, refresh: access === null ? null : Math.round(access * fixture.refreshFactor) } };
}

function policyOf(fixture: UserCenterFixture, index: UserCenterIndex, clientId: string) {
  return applyPolicy(BASE_POLICY, fixture.policy, appPolicy(fixture, index, clientId));
}

function credentials(fixture: UserCenterFixture, index: UserCenterIndex): Credential[] {
  const out: Credential[] = [];
  for (const c of fixture.clients) {
    const p = policyOf(fixture, index, c.clientId);
    out.push({
      label: 'client_id / sysid',
      value: `${c.clientId} / ${c.sysid}  (access ${p.lifetimes.access ?? '∞'} s, refresh ${p.lifetimes.refresh ?? '∞'} s)`,
    });
  }
  for (const u of fixture.users) {
    const names = [u.userCode, u.mobile, u.email].filter(Boolean).join(' | ');
    out.push({ label: 'user (username / password)', value: `${names} / ${u.password}` });
    out.push({ label: '  md5password', value: usercenterMd5Password(u.password) });
    out.push({ label: '  shapassword', value: usercenterShaPassword(u.password) });
    const codes = [u.validateCode, fixture.fixedValidateCode].filter((c): c is string => !!c);
    if (codes.length) out.push({ label: '  validateCode', value: codes.join(' or ') });
  }
  return out;
}

export const usercenter: PlatformDefinition<UserCenterFixture, UserCenterState, UserCenterIndex> = {
  id: USERCENTER,
  title: 'Yonyou 友户通 UserCenter OAuth2',
  loadFixtureSchema: async () => (await import('./fixture.js')).usercenterFixtureSchema,
  loadStateSchema: async () => (await import('./state-schema.js')).usercenterStateSchema,
  index: indexUserCenter,
  endpoints: [...loginEndpoints, ...accessEndpoints, ...refreshEndpoints],
  contextPaths: (fixture) => fixture.contextPaths,
  basePolicy: BASE_POLICY,
  appPolicy: (fixture, index, clientId) => appPolicy(fixture, index, clientId),
  initialState: initialUserCenterState,
  summary(fixture, baseUrl) {
    return {
      id: USERCENTER,
      title: this.title,
      baseUrls: [baseUrl, `${baseUrl}/${USERCENTER}`, ...fixture.contextPaths.map((c) => `${baseUrl}${c}`)],
      credentials: credentials(fixture, indexUserCenter(fixture)),
    };
  },
  errors: { kinds: USERCENTER_ERRORS.kinds, render: renderUserCenterError },
  signing: usercenterSigning,
  admin: validateCodeRoutes,
};
