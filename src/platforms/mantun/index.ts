import type { PlatformDefinition } from '../../core/platform.js';
import { platformPolicy } from '../../core/tokens/policy.js';
import { MANTUN_ERROR_KINDS, renderMantunError, type MantunSurface } from './errors.js';
import type { MantunFixture } from './fixture.js';
import { MANTUN } from './id.js';
import { indexMantun, type MantunIndex } from './lookups.js';
import { oauthEndpoints } from './oauth.js';
import { routerEndpoints } from './router.js';
import { mantunSigning } from './signing.js';
import { initialMantunState, type MantunState } from './state.js';

export const mantun: PlatformDefinition<MantunFixture, MantunState, MantunIndex, MantunSurface> = {
  id: MANTUN,
  title: 'Mantunsci (曼顿) smart-breaker open platform',
  loadFixtureSchema: async () => (await import('./fixture.js')).mantunFixtureSchema,
  loadStateSchema: async () => (await import('./state-schema.js')).mantunStateSchema,
  index: indexMantun,
  endpoints: [...oauthEndpoints, ...routerEndpoints],
  contextPaths: (fixture) => fixture.contextPaths,
  // Lifetimes (docs/platforms/mantun.md#lifetimes); the refresh rules are Assumed and overridable in fixtures and scenarios.
  basePolicy: platformPolicy({ code: 600, access: 3600, refresh: 30 * 86400, temp: null }),
  appPolicy: (_fixture, index, appId) => index.apps.get(appId)?.policy,
  initialState: initialMantunState,
  summary(fixture, baseUrl) {
    const app = fixture.apps[0];
    const user = fixture.users[0];
    const project = fixture.projects[0];
    const credentials = [];
    if (app)
      credentials.push(
        { label: 'appKey (client_id)', value: app.appKey },
        { label: 'appSecret', value: app.appSecret },
        { label: 'redirect_uri', value: app.redirectUri },
      );
    if (user) credentials.push({ label: 'user (uname / passwd)', value: `${user.uname} / ${user.passwd}` });
    if (project) credentials.push({ label: 'projectCode', value: project.projectCode });
    return {
      id: MANTUN,
      title: this.title,
      baseUrls: [baseUrl, `${baseUrl}/${MANTUN}`, ...fixture.contextPaths.map((c) => `${baseUrl}${c}`)],
      credentials,
      timestampUtcOffsetMinutes: fixture.utcOffsetMinutes,
    };
  },
  errors: { kinds: MANTUN_ERROR_KINDS, render: renderMantunError },
  // router.as is a method gateway too: GET_BOXES, PUT_BOX_CONTROL, ...
  methodOf: (params) => {
    const method = (params as Record<string, string> | undefined)?.method;
    return typeof method === 'string' && method !== '' ? method : undefined;
  },
  signing: mantunSigning,
};
