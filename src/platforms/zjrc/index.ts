import type { PlatformDefinition } from '../../core/platform.js';
import { platformPolicy } from '../../core/tokens/policy.js';
import { authorizeEndpoints } from './authorize.js';
import { renderZjrcError, ZJRC_ERRORS, type ZjrcSurface } from './errors.js';
import type { ZjrcFixture } from './fixture.js';
import { GATEWAY_PATH, gatewayEndpoints } from './gateway.js';
import { ZJRC } from './id.js';
import { indexZjrc, type ZjrcIndex } from './lookups.js';
import { zjrcKeys, zjrcSigning } from './signing.js';
import { initialZjrcState, type ZjrcState } from './state.js';

export const zjrc: PlatformDefinition<ZjrcFixture, ZjrcState, ZjrcIndex, ZjrcSurface> = {
  id: ZJRC,
  title: 'Zhejiang Rural Credit 丰收互联 OIP open platform',
  loadFixtureSchema: async () => (await import('./fixture.js')).zjrcFixtureSchema,
  loadStateSchema: async () => (await import('./state-schema.js')).zjrcStateSchema,
  index: indexZjrc,
  endpoints: [...gatewayEndpoints, ...authorizeEndpoints],
  contextPaths: () => [],
  // All Assumed (docs/platforms/zjrc.md#lifetimes): code 300 s single-use, access 7200 s, refresh 30 days, rotation.
  basePolicy: platformPolicy({ code: 300, access: 7200, refresh: 30 * 86400, temp: null }),
  appPolicy: (_fixture, index, appId) => index.apps.get(appId)?.policy,
  initialState: initialZjrcState,
  summary(fixture, baseUrl) {
    const app = fixture.apps[0];
    const user = fixture.users[0];
    const credentials = [{ label: 'gateway', value: `${baseUrl}${GATEWAY_PATH}` }];
    if (app) {
      credentials.push(
        { label: 'appId', value: app.appId },
        { label: 'client_secret (clientSign key)', value: app.clientSecret },
        { label: 'app private key (TEST ONLY)', value: 'npx sandbox keys' },
        {
          label: 'authorize',
          value: `${baseUrl}/${ZJRC}/oauth/authorize?appId=${app.appId}&redirectUri=${encodeURIComponent(app.redirectUris[0])}&scope=get_nor_user_info&state=xyz`,
        },
      );
    }
    if (fixture.platformKeys) credentials.push({ label: 'platform public key', value: 'npx sandbox keys' });
    if (user) credentials.push({ label: 'user (username / password)', value: `${user.username} / ${user.password}` });
    return { id: ZJRC, title: this.title, baseUrls: [baseUrl, `${baseUrl}/${ZJRC}`], credentials, timestampUtcOffsetMinutes: fixture.utcOffsetMinutes };
  },
  errors: { kinds: ZJRC_ERRORS.kinds, render: renderZjrcError },
  // The method field's name is a fixture setting: the platform, not the core, knows where to read it.
  methodOf: (params, fixture) => {
    const method = (params as Record<string, string> | undefined)?.[fixture.fields.method];
    return typeof method === 'string' && method !== '' ? method : undefined;
  },
  methodTags: {
    'zjrcuoip.oauth.get.openId.new': ['oauth', 'token'],
    'zjrcuoip.system.base.oauth.token.refresh.new': ['oauth', 'token', 'refresh'],
    'zjrcuoip.system.base.oauth.token.refresh': ['oauth', 'token', 'refresh'],
    'zjrcuoip.system.oauth.userinfo.query.new': ['resource'],
  },
  signing: zjrcSigning,
  keys: zjrcKeys,
};
