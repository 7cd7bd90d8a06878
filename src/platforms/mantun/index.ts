import type { PlatformDefinition } from '../../core/platform.js';
import { applyPolicy, type LifecyclePolicy, platformPolicy } from '../../core/tokens/policy.js';
import { findApp, MANTUN } from './context.js';
import { MANTUN_ERROR_KINDS, mantunError, type MantunErrorKind } from './errors.js';
import type { MantunFixture } from './fixture.js';
import { initialMantunState, type MantunState } from './methods.js';
import { oauthEndpoints } from './oauth.js';
import { routerEndpoints } from './router.js';

/** PROTOCOLS §1.2–1.3; the refresh rules are "Assumed" and overridable in fixtures and scenarios. */
const MANTUN_POLICY: LifecyclePolicy = platformPolicy({ code: 600, access: 3600, refresh: 30 * 86400, temp: null });

export const mantun: PlatformDefinition<MantunFixture, MantunState> = {
  id: MANTUN,
  title: 'Mantunsci (曼顿) smart-breaker open platform',
  loadFixtureSchema: async () => (await import('./fixture.js')).mantunFixtureSchema,
  endpoints: [...oauthEndpoints, ...routerEndpoints],
  contextPaths: (fixture) => fixture.contextPaths,
  policy: (fixture, appId) => applyPolicy(MANTUN_POLICY, fixture.policy, findApp(fixture, appId)?.policy),
  initialState: initialMantunState,
  summary(fixture, baseUrl) {
    const app = fixture.apps[0];
    const user = fixture.users[0];
    const project = fixture.projects[0];
    const credentials = [];
    if (app) credentials.push({ label: 'appKey (client_id)', value: app.appKey }, { label: 'appSecret', value: app.appSecret }, { label: 'redirect_uri', value: app.redirectUri });
    if (user) credentials.push({ label: 'user (uname / passwd)', value: `${user.uname} / ${user.passwd}` });
    if (project) credentials.push({ label: 'projectCode', value: project.projectCode });
    return {
      id: MANTUN,
      title: this.title,
      baseUrls: [baseUrl, `${baseUrl}/${MANTUN}`, ...fixture.contextPaths.map((c) => `${baseUrl}${c}`)],
      credentials,
    };
  },
  transportError: (failure, fixture) => mantunError(failure === 'too_large' ? 'body_too_large' : 'unreadable_body', fixture.errors),
  errorKinds: [...MANTUN_ERROR_KINDS, 'callback_url_missing'],
  errorReply(kind, fixture, endpoint, detail) {
    if (kind === 'callback_url_missing') {
      const cb = fixture.callbackError;
      return { status: cb.status, contentType: cb.contentType, body: cb.body, data: cb.body, ...(cb.location ? { headers: { location: cb.location } } : {}) };
    }
    if (!(MANTUN_ERROR_KINDS as string[]).includes(kind)) return undefined;
    return mantunError(kind as MantunErrorKind, fixture.errors, { detail, stringSuccess: endpoint.name === 'authverify2.as' });
  },
};
