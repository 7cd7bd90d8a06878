import { textReply } from '../../core/http/reply.js';
import type { PlatformDefinition } from '../../core/platform.js';
import { applyPolicy, type LifecyclePolicy, platformPolicy } from '../../core/tokens/policy.js';
import { authorizeEndpoints } from './authorize.js';
import { findApp, SOP } from './context.js';
import { errorNode, type SopErrorOverrides } from './errors.js';
import { SOP_FAULT_KINDS, sopFaultReply } from './fault-errors.js';
import type { SopFixture } from './fixture.js';
import { gatewayEndpoints } from './gateway.js';
import { gatewayReply } from './render.js';

/**
 * §3.3: codes live 24 h and are single-use; tokens never expire; a refresh rotates both tokens and the
 * replaced app_auth_token keeps working for the documented 600 s.
 */
const SOP_POLICY: LifecyclePolicy = platformPolicy({ code: 86400, access: null, refresh: null, temp: null }, { oldAccessAfterRefresh: { graceSeconds: 600 } });

export const sop: PlatformDefinition<SopFixture, Record<string, never>> = {
  id: SOP,
  title: 'SOP open platform (Alipay-style signed gateway)',
  loadFixtureSchema: async () => (await import('./fixture.js')).sopFixtureSchema,
  endpoints: [...gatewayEndpoints, ...authorizeEndpoints],
  contextPaths: () => [],
  policy: (fixture, appId) => applyPolicy(SOP_POLICY, fixture.policy, findApp(fixture, appId)?.policy),
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
    return { id: SOP, title: this.title, baseUrls: [baseUrl, `${baseUrl}/${SOP}`], credentials };
  },
  transportError(failure, fixture, endpoint) {
    const status = failure === 'too_large' ? 413 : 400;
    // The login pages are browser pages (their own errors are plain text); the gateway answers its error node.
    if (endpoint && endpoint.name !== 'gateway') return textReply(failure === 'too_large' ? 'request body is too large' : 'request body could not be read', status);
    return { ...gatewayReply(fixture, 'error_response', errorNode('isp.unknown-error', 'zh', fixture.errors as SopErrorOverrides), 'RSA2', fixture.signErrors), status };
  },
  errorKinds: SOP_FAULT_KINDS,
  errorReply: (kind, fixture) => sopFaultReply(kind, fixture),
  // Code exchange and refresh share one method, so a rule tagged "refresh" cannot single out SOP refreshes.
  methodTags: { 'open.auth.token.app': ['oauth', 'token'] },
};
