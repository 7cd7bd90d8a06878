import type { PlatformDefinition } from '../../core/platform.js';
import { applyPolicy, type LifecyclePolicy, platformPolicy } from '../../core/tokens/policy.js';
import { authorizeEndpoints } from './authorize.js';
import { renderAuthorizeError } from './authorize-page.js';
import { findApp, initialZjrcState, ZJRC, type ZjrcState } from './context.js';
import { resolveError, ZJRC_ERROR_KINDS, type ZjrcErrorKind } from './errors.js';
import type { ZjrcFixture } from './fixture.js';
import { GATEWAY_PATH, gatewayEndpoints } from './gateway.js';
import { renderGateway } from './render.js';

/** PROTOCOLS §4, all "Assumed": code 300 s single-use, access 7200 s, refresh 30 days, rotation. */
const ZJRC_POLICY: LifecyclePolicy = platformPolicy({ code: 300, access: 7200, refresh: 30 * 86400, temp: null });

export const zjrc: PlatformDefinition<ZjrcFixture, ZjrcState> = {
  id: ZJRC,
  title: 'Zhejiang Rural Credit 丰收互联 OIP open platform',
  loadFixtureSchema: async () => (await import('./fixture.js')).zjrcFixtureSchema,
  endpoints: [...gatewayEndpoints, ...authorizeEndpoints],
  contextPaths: () => [],
  policy: (fixture, appId) => applyPolicy(ZJRC_POLICY, fixture.policy, findApp(fixture, appId)?.policy),
  initialState: initialZjrcState,
  summary(fixture, baseUrl) {
    const app = fixture.apps[0];
    const user = fixture.users[0];
    const credentials = [{ label: 'gateway', value: `${baseUrl}${GATEWAY_PATH}` }];
    if (app) {
      credentials.push(
        { label: 'appId', value: app.appId },
        { label: 'client_secret (clientSign key)', value: app.clientSecret },
        { label: 'app private key (TEST ONLY)', value: 'fixtures/zjrc.json → zjrc.apps[0].privateKey' },
        { label: 'authorize', value: `${baseUrl}/${ZJRC}/oauth/authorize?appId=${app.appId}&redirectUri=${encodeURIComponent(app.redirectUris[0])}&scope=get_nor_user_info&state=xyz` },
      );
    }
    if (fixture.platformKeys) credentials.push({ label: 'platform public key', value: 'fixtures/zjrc.json → zjrc.platformKeys.publicKey' });
    if (user) credentials.push({ label: 'user (username / password)', value: `${user.username} / ${user.password}` });
    return { id: ZJRC, title: this.title, baseUrls: [baseUrl, `${baseUrl}/${ZJRC}`], credentials };
  },
  transportError(failure, fixture, endpoint) {
    const error = resolveError(failure === 'too_large' ? 'body_too_large' : 'unreadable_body', fixture.errors);
    // The authorization page is a browser page: it says what went wrong in HTML, with the same status.
    if (endpoint && endpoint.path !== GATEWAY_PATH) return { ...renderAuthorizeError(error.message), status: error.status };
    return renderGateway(fixture, { ok: false, error }, fixture.signType);
  },
  errorKinds: ZJRC_ERROR_KINDS,
  errorReply(kind, fixture, endpoint, detail) {
    if (!(ZJRC_ERROR_KINDS as string[]).includes(kind)) return undefined;
    const error = resolveError(kind as ZjrcErrorKind, fixture.errors, { detail });
    // The authorization page has no JSON shape: its errors are the page's own.
    if (endpoint.path !== GATEWAY_PATH) return renderAuthorizeError(error.message);
    return renderGateway(fixture, { ok: false, error }, fixture.signType);
  },
  methodTags: {
    'zjrcuoip.oauth.get.openId.new': ['oauth', 'token'],
    'zjrcuoip.system.base.oauth.token.refresh.new': ['oauth', 'token', 'refresh'],
    'zjrcuoip.system.base.oauth.token.refresh': ['oauth', 'token', 'refresh'],
    'zjrcuoip.system.oauth.userinfo.query.new': ['resource'],
  },
};
