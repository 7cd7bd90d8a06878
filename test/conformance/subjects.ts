import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type TestAgent from 'supertest/lib/agent.js';
import type { AnyPlatform } from '../../src/core/platform.js';
import { PLATFORMS } from '../../src/platforms/index.js';
import { zjrcClientSign } from '../../src/index.js';
import { acme } from '../fifth-platform/acme/index.js';
import { MantunClient } from '../helpers/mantun.js';
import { gatewayParams, getTokens as sopTokens, postGateway, tokenBiz } from '../helpers/sop.js';
import { login as usercenterLogin } from '../helpers/usercenter.js';
import { APP as ZJRC_APP, body as zjrcBody, call as zjrcCall, bizOf, getTokens as zjrcTokens, M } from '../helpers/zjrc.js';

/**
 * What the conformance kit (kit.ts) needs of a platform beyond its definition: how a client logs in,
 * calls a resource with the token it got, and refreshes. Everything else the kit reads from the
 * definition itself (error catalogue, endpoints, signing, keys, fixture schema).
 */
export interface Tokens {
  access: string;
  refresh?: string;
  /** Whatever else the platform's calls need (ZJRC's openId). */
  extra?: Record<string, string>;
}

export interface Flow {
  login(http: TestAgent, now: () => number): Promise<Tokens>;
  /** A call that needs the access token: its answer, with what differs per request (ids, signatures) left out. */
  resource(http: TestAgent, now: () => number, tokens: Tokens): Promise<unknown>;
  /** Exchange the refresh token; the platform rotates or not as its policy says. */
  refresh?(http: TestAgent, now: () => number, tokens: Tokens): Promise<Tokens>;
}

export interface Subject {
  platform: AnyPlatform;
  /** The platform list of the sandbox it runs in. */
  platforms: readonly AnyPlatform[];
  /** Fixture files laid over the built-in ones (a platform with no built-in fixture needs one). */
  fixtures: () => string[];
  /** Registered with the real CLI (bin/sandbox.js), so `sandbox validate`, `sign` and `keys` are run as a user would. */
  inCli: boolean;
  /** `sandbox sign` arguments (after the platform id) that make a complete request. */
  sign?: string[];
  flow: Flow;
}

const omit = (node: Record<string, unknown> | undefined, ...keys: string[]) =>
  node && Object.fromEntries(Object.entries(node).filter(([k]) => !keys.includes(k)));

const mantun: Flow = {
  login: async (http) => {
    const t = await new MantunClient(http).tokens();
    return { access: t.accessToken, refresh: t.refreshToken };
  },
  resource: async (http, now, t) => {
    const res = await new MantunClient(http).call(t.access, 'GET_PROJECTS', now());
    return [res.status, res.body];
  },
  refresh: async (http, _now, t) => {
    const res = await new MantunClient(http).refresh(t.refresh!);
    if (res.body.success !== true) throw new Error(`refresh.as failed: ${res.text}`);
    return { access: res.body.data.accessToken, refresh: res.body.data.refreshToken };
  },
};

const usercenter: Flow = {
  login: async (http) => {
    const t = await usercenterLogin(http);
    return { access: t.accessToken, refresh: t.refreshToken, extra: { expiresIn: t.expires_in } };
  },
  resource: async (http, _now, t) => {
    const res = await http.post('/user/getUserByToken').send({ accessToken: t.access });
    return [res.status, res.body];
  },
  refresh: async (http, _now, t) => {
    // UserCenter refreshes only an access token that has timed out.
    await http
      .post('/__sandbox/clock')
      .send({ advance: `${t.extra!.expiresIn}s` })
      .expect(200);
    const res = await http.post('/oauth/refreshAccessToken').send({ refresh_token: t.refresh });
    const result = typeof res.body.result === 'string' ? JSON.parse(res.body.result) : undefined;
    if (!result?.accessToken) throw new Error(`refreshAccessToken failed: ${res.text}`);
    return { access: result.accessToken, refresh: result.refreshToken, extra: { expiresIn: result.expires_in } };
  },
};

const sop: Flow = {
  login: async (http, now) => {
    const t = await sopTokens(http, now());
    return { access: t.app_auth_token, refresh: t.app_refresh_token };
  },
  resource: async (http, now, t) => {
    const res = await postGateway(http, gatewayParams('sandbox.merchant.info.get', now(), { app_auth_token: t.access }));
    return [res.status, omit(res.body.sandbox_merchant_info_get_response, 'request_id')];
  },
  refresh: async (http, now, t) => {
    const res = await postGateway(http, gatewayParams('open.auth.token.app', now(), tokenBiz({ grant_type: 'refresh_token', refresh_token: t.refresh! })));
    const node = res.body.open_auth_token_app_response;
    if (!node?.app_auth_token) throw new Error(`open.auth.token.app (refresh) failed: ${res.text}`);
    return { access: node.app_auth_token, refresh: node.app_refresh_token };
  },
};

const zjrc: Flow = {
  login: async (http, now) => {
    const t = await zjrcTokens(http, now);
    return { access: t.accessToken, refresh: t.refreshToken, extra: { openId: t.openId } };
  },
  resource: async (http, now, t) => {
    const res = await zjrcCall(http, zjrcBody(M.userinfo, { openId: t.extra!.openId, accessToken: t.access }, now()));
    return [res.status, omit(res.body, 'sign')];
  },
  refresh: async (http, now, t) => {
    const res = await zjrcCall(
      http,
      zjrcBody(M.refresh, { openId: t.extra!.openId, refreshToken: t.refresh, clientSign: zjrcClientSign(t.refresh!, ZJRC_APP.clientSecret) }, now()),
    );
    const biz = bizOf(res) as Record<string, string>;
    return { access: biz.accessToken, refresh: biz.refreshToken, extra: t.extra };
  },
};

const acmeFlow: Flow = {
  login: async (http) => {
    const res = await http.post('/acme/token').send({ client: 'c1', secret: 's3cret', op: 'login' });
    if (res.body.ok !== true) throw new Error(`acme login failed: ${res.text}`);
    return { access: res.body.token, refresh: res.body.refresh };
  },
  resource: async (http, _now, t) => {
    const res = await http.get(`/acme/me?token=${t.access}`);
    return [res.status, res.body];
  },
};

/** acme has no built-in fixture: one file with a client and a key pair (for `sandbox keys`). */
function acmeFixtures(): string[] {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const file = join(mkdtempSync(join(tmpdir(), 'conformance-acme-')), 'acme.json');
  writeFileSync(file, JSON.stringify({ acme: { clients: [{ id: 'c1', secret: 's3cret' }], keys: { privateKey, publicKey } } }));
  return [file];
}

/** The flows of the platforms the kit knows; a registered platform missing here fails the kit, by name. */
export const FLOWS: Record<string, Flow> = { mantun, usercenter, sop, zjrc, acme: acmeFlow };

const SIGN: Record<string, string[]> = {
  mantun: ['router', '--method', 'GET_PROJECTS', '--access-token', '0123456789abcdef0123456789abcdef'],
  usercenter: ['--user', 'test'],
  sop: ['--method', 'alipay.story.get'],
  zjrc: ['--method', M.userinfo],
  acme: [],
};

/** Every registered platform, and the made-up fifth one (test/fifth-platform/acme) in a sandbox that adds it. */
export function subjects(): Subject[] {
  const builtIn = PLATFORMS.map((platform) => ({ platform, platforms: PLATFORMS, fixtures: () => [], inCli: true }));
  const fifth = { platform: acme, platforms: [...PLATFORMS, acme], fixtures: acmeFixtures, inCli: false };
  return [...builtIn, fifth].map((s) => ({ ...s, sign: s.platform.signing ? SIGN[s.platform.id] : undefined, flow: FLOWS[s.platform.id] }));
}
