import type { Credential, PlatformDefinition } from '../../core/platform.js';
import { applyPolicy, type LifecyclePolicy, platformPolicy } from '../../core/tokens/policy.js';
import { accessEndpoints } from './access.js';
import { findClient, USERCENTER } from './context.js';
import { USERCENTER_ERROR_KINDS, usercenterError, type UserCenterErrorKind } from './errors.js';
import type { UserCenterFixture } from './fixture.js';
import { loginEndpoints } from './login.js';
import { usercenterMd5Password, usercenterShaPassword } from './passwords.js';
import { refreshEndpoints } from './refresh.js';
import { initialUserCenterState, mountValidateCodeRoutes, type UserCenterState } from './validate-codes.js';

/**
 * PROTOCOLS §2. Access 86400 s is documented; refresh (refreshFactor × access) and temp 300 s are
 * "Assumed". The refresh rules are the real service's: status 5 while the access token lives, the old
 * access token dies, the old refresh token is single-use.
 */
const USERCENTER_POLICY: LifecyclePolicy = platformPolicy({ code: null, access: 86400, refresh: null, temp: 300 }, { oldAccessAfterRefresh: 'revoke', refreshRequiresExpiredAccess: true });

function policy(fixture: UserCenterFixture, clientId: string): LifecyclePolicy {
  const client = findClient(fixture, clientId);
  const p = applyPolicy(USERCENTER_POLICY, fixture.policy, client?.policy);
  // A client that only shortens its access token (the SDK's test client: 60 s) gets 3 × that refresh.
  const refreshSet = fixture.policy?.lifetimes?.refresh !== undefined || client?.policy?.lifetimes?.refresh !== undefined;
  if (refreshSet) return p;
  const access = p.lifetimes.access;
  return { ...p, lifetimes: { ...p.lifetimes, refresh: access === null ? null : Math.round(access * fixture.refreshFactor) } };
}

function credentials(fixture: UserCenterFixture): Credential[] {
  const out: Credential[] = [];
  for (const c of fixture.clients) {
    const p = policy(fixture, c.clientId);
    out.push({ label: 'client_id / sysid', value: `${c.clientId} / ${c.sysid}  (access ${p.lifetimes.access ?? '∞'} s, refresh ${p.lifetimes.refresh ?? '∞'} s)` });
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

export const usercenter: PlatformDefinition<UserCenterFixture, UserCenterState> = {
  id: USERCENTER,
  title: 'Yonyou 友户通 UserCenter OAuth2',
  loadFixtureSchema: async () => (await import('./fixture.js')).usercenterFixtureSchema,
  endpoints: [...loginEndpoints, ...accessEndpoints, ...refreshEndpoints],
  contextPaths: (fixture) => fixture.contextPaths,
  policy,
  initialState: initialUserCenterState,
  summary(fixture, baseUrl) {
    return {
      id: USERCENTER,
      title: this.title,
      baseUrls: [baseUrl, `${baseUrl}/${USERCENTER}`, ...fixture.contextPaths.map((c) => `${baseUrl}${c}`)],
      credentials: credentials(fixture),
    };
  },
  transportError: (failure, fixture) => usercenterError(failure === 'too_large' ? 'body_too_large' : 'unreadable_body', fixture.errors),
  admin: mountValidateCodeRoutes,
  errorKinds: USERCENTER_ERROR_KINDS,
  errorReply(kind, fixture, _endpoint, detail) {
    if (!(USERCENTER_ERROR_KINDS as string[]).includes(kind)) return undefined;
    return usercenterError(kind as UserCenterErrorKind, fixture.errors, detail);
  },
};
