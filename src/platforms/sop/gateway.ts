import { rsaVerify } from '../../core/crypto.js';
import type { Endpoint, PlatformRequest, Reply } from '../../core/platform.js';
import type { TokenRecord } from '../../core/state/token-record.js';
import { appPublicKey, findApp, fixtureOf, SOP } from './context.js';
import { errorNode, localeOf, type Locale, type SopErrorKind, type SopErrorOverrides } from './errors.js';
import type { SopApp, SopFixture } from './fixture.js';
import { findMethod, type GatewayMethod } from './methods.js';
import { gatewayReply, responseKey } from './render.js';
import { isSopSignType, parseSopTimestamp, SOP_HASH, sopSignContent, type SopSignType } from './signing.js';
import { readGatewayParams } from './transport.js';

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';

type Checked = { ok: true; app: SopApp; method: GatewayMethod; token?: TokenRecord } | { ok: false; kind: SopErrorKind };

const failed = (kind: SopErrorKind): Checked => ({ ok: false, kind });

/** §3.2's table, in its order: the first failing row answers. */
function check(req: PlatformRequest, fixture: SopFixture, p: Record<string, string>): Checked {
  if (blank(p.method)) return failed('isv.missing-method');
  if (blank(p.version)) return failed('isv.missing-version');
  const method = findMethod(fixture, p.method, p.version);
  if (!method) return failed('isv.invalid-method');
  if (blank(p.app_id)) return failed('isv.missing-app-id');
  const app = findApp(fixture, p.app_id);
  if (!app) return failed('isv.invalid-app-id');
  if (app.disabled) return failed('isv.access-forbidden');
  if (blank(p.sign)) return failed('isv.missing-signature');
  const publicKey = appPublicKey(app);
  if (!publicKey) return failed('isv.missing-signature-config');
  if (blank(p.sign_type)) return failed('isv.decryption-error-missing-encrypt-type');
  if (blank(p.charset)) return failed('isv.invalid-charset');
  if (!isSopSignType(p.sign_type)) return failed('isv.invalid-signature-type');
  if (!rsaVerify(sopSignContent(p), p.sign, publicKey, SOP_HASH[p.sign_type])) return failed('isv.invalid-signature');
  if (blank(p.timestamp)) return failed('isp.unknown-error');
  const sent = parseSopTimestamp(p.timestamp, fixture.utcOffsetMinutes);
  if (sent === undefined) return failed('isv.invalid-timestamp');
  const tolerance = fixture.timestampToleranceSeconds;
  if (tolerance > 0 && sent < req.world.clock.now() - tolerance * 1000) return failed('isv.invalid-timestamp');
  if (p.format !== undefined && p.format !== '' && !/^(json|xml)$/i.test(p.format)) return failed('isv.invalid-format');
  if (!method.needsToken) return { ok: true, app, method };
  if (blank(p.app_auth_token)) return failed('aop.invalid-app-auth-token');
  const access = req.world.tokens.checkAccess(SOP, p.app_auth_token);
  if (!access.ok) return failed(access.reason === 'expired' || access.reason === 'grace_expired' ? 'aop.app-auth-token-time-out' : 'aop.invalid-app-auth-token');
  if (access.value.appId !== app.appId) return failed('aop.invalid-app-auth-token');
  return { ok: true, app, method, token: access.value };
}

/** The gateway: every method, built-in or from fixtures, goes through the same checks and renderer. */
async function gateway(req: PlatformRequest): Promise<Reply> {
  const fixture = fixtureOf(req.world);
  const params = readGatewayParams(req, fixture.strictSopTransport);
  const locale: Locale = localeOf(req.headers['accept-language']);
  // Until a usable sign_type is known the answer is signed RSA2, the type clients default to.
  const signType: SopSignType = isSopSignType(params.sign_type) ? params.sign_type : 'RSA2';
  const key = responseKey(blank(params.method) ? undefined : params.method);
  const checked = check(req, fixture, params);
  let reply: Reply;
  if (!checked.ok) {
    reply = gatewayReply(fixture, key, errorNode(checked.kind, locale, fixture.errors as SopErrorOverrides), signType, fixture.signErrors);
  } else {
    const node = await checked.method.handle({ world: req.world, fixture, app: checked.app, params, locale, token: checked.token });
    reply = gatewayReply(fixture, key, { ...node, request_id: req.world.random.hex(16) }, signType);
  }
  reply.params = params;
  return reply;
}

const PATHS = ['/', '/api', '/gateway.do'];

/** `/` is SOP's entry; `/api` is harmless and `/gateway.do` is Alipay's path, for clients configured with it. */
export const gatewayEndpoints: Endpoint[] = PATHS.flatMap((path) =>
  ['GET', 'POST'].map((method) => ({ method, path, name: 'gateway', tags: ['signed'], handle: gateway })),
);
