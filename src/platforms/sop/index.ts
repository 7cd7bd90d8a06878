import type { PlatformDefinition } from '../../core/platform.js';
import { platformPolicy } from '../../core/tokens/policy.js';
import { authorizeEndpoints } from './authorize.js';
import { renderSopError, SOP_ERROR_KINDS, type SopSurface } from './errors.js';
import type { SopFixture } from './fixture.js';
import { gatewayEndpoints } from './gateway.js';
import { SOP } from './id.js';
import { isRefresh } from './refresh-tag.js';
import { indexSop, type SopIndex } from './lookups.js';
import { sopKeys, sopSigning } from './signing.js';

export const sop: PlatformDefinition<SopFixture, Record<string, never>, SopIndex, SopSurface> = {
  id: SOP,
  title: 'SOP open platform (Alipay-style signed gateway)',
  loadFixtureSchema: async () => (await import('./fixture.js')).sopFixtureSchema,
  loadStateSchema: async () => (await import('./state-schema.js')).sopStateSchema,
  index: indexSop,
  endpoints: [...gatewayEndpoints, ...authorizeEndpoints],
  contextPaths: () => [],
  // Codes live 24 h and are single-use; tokens never expire; a refresh rotates both tokens and the
  // replaced app_auth_token keeps working for the documented 600 s (docs/platforms/sop.md#lifetimes).
  basePolicy: platformPolicy({ code: 86400, access: null, refresh: null, temp: null }, { oldAccessAfterRefresh: { graceSeconds: 600 } }),
  appPolicy: (_fixture, index, appId) => index.apps.get(appId)?.policy,
  initialState: () => ({}),
  summary(fixture, baseUrl) {
    const app = fixture.apps[0];
    const user = fixture.users[0];
    const credentials = [];
    if (app) {
      credentials.push({ label: 'app_id', value: app.appId });
      credentials.push({ label: 'authorize', value: `${baseUrl}/oauth2/appToAppAuth?app_id=${app.appId}&redirect_uri=<urlencoded>` });
    }
    if (user) credentials.push({ label: 'user (username / password)', value: `${user.username} / ${user.password}` });
    credentials.push({ label: 'keys (TEST ONLY)', value: 'npx sandbox keys' });
    return { id: SOP, title: this.title, baseUrls: [baseUrl, `${baseUrl}/${SOP}`], credentials, timestampUtcOffsetMinutes: fixture.utcOffsetMinutes };
  },
  errors: { kinds: SOP_ERROR_KINDS, render: renderSopError },
  methodOf: (params) => {
    const method = (params as Record<string, string> | undefined)?.method;
    return typeof method === 'string' && method.trim() !== '' ? method : undefined;
  },
  methodTags: { 'open.auth.token.app': ['oauth', 'token'] },
  // Code exchange and refresh share that method: the grant type in biz_content tags a refresh.
  paramTags: { tags: ['refresh'], of: (params) => (isRefresh(params) ? ['refresh'] : []) },
  signing: sopSigning,
  keys: sopKeys,
};
