import { jsonToParams, looksLikeForm, parseForm, parseJson } from '../../core/http/params.js';
import type { Endpoint, PlatformRequest, Reply } from '../../core/platform.js';
import { parseZjrcTimestamp, zjrcSignContent, zjrcTimestamp } from './client.js';
import { appPublicKey, fail, findApp, fixtureOf, ZjrcFailure } from './context.js';
import type { ZjrcFixture } from './fixture.js';
import { renderGateway, signOptions, type GatewayOutcome } from './render.js';
import { isRsaSignType, rsaVerify, type RsaSignType } from './rsa.js';
import { ZJRC_SERVICES } from './services.js';

export const GATEWAY_PATH = '/oip-gateway-server/zjrcuoip/gateway.do';

const SIGN_ALGORITHM: Record<RsaSignType, string> = { RSA2: 'SHA256withRSA', RSA: 'SHA1withRSA' };

/**
 * The body as a flat map: JSON (by Content-Type, or when it looks like JSON) or a form; the query
 * string underneath, as a servlet's getParameter would see it. A bizContent object is kept as the
 * JSON text it serialises to, which is also what gets signed.
 */
function readParams(req: PlatformRequest, fixture: ZjrcFixture): Record<string, string> {
  const out: Record<string, string> = Object.assign(Object.create(null), req.query);
  const text = req.rawBody ? req.rawBody.toString('utf8') : '';
  if (text.trim() === '') return out;
  const isJson = req.contentType.includes('json') || (req.contentType !== 'application/x-www-form-urlencoded' && !looksLikeForm(text));
  if (isJson) {
    const parsed = parseJson(text);
    if (!parsed.ok) throw fail(fixture, 'invalid_request', `the body is not valid JSON (${parsed.error})`);
    const params = jsonToParams(parsed.value);
    if (!params) throw fail(fixture, 'invalid_request', 'the body must be a JSON object');
    return Object.assign(out, params);
  }
  return Object.assign(out, parseForm(text));
}

function parseBizContent(fixture: ZjrcFixture, text: string): Record<string, unknown> {
  const parsed = parseJson(text);
  if (!parsed.ok) throw fail(fixture, 'invalid_biz_content', `not valid JSON (${parsed.error})`);
  const v = parsed.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw fail(fixture, 'invalid_biz_content', 'expected a JSON object');
  return v as Record<string, unknown>;
}

/**
 * POST gateway.do. Checks in this order, first failure wins: body readable, common fields present,
 * appId known, method known, version accepted, signType supported, sign verifies, timestamp well
 * formed and within the tolerance of the sandbox clock, bizContent a JSON object; then the service.
 */
async function gateway(req: PlatformRequest): Promise<Reply> {
  const world = req.world;
  const fixture = fixtureOf(world);
  const f = fixture.fields;
  let signType: RsaSignType = fixture.signType;
  let params: Record<string, unknown> | undefined;
  let outcome: GatewayOutcome;
  try {
    const raw = readParams(req, fixture);
    params = raw;
    const missing = [f.appId, f.method, f.version, f.timestamp, f.bizContent, f.sign].filter((n) => !raw[n]);
    if (missing.length) throw fail(fixture, 'missing_param', missing.join(', '));
    const app = findApp(fixture, raw[f.appId]);
    if (!app) throw fail(fixture, 'unknown_app', raw[f.appId]);
    const method = raw[f.method];
    const service = Object.hasOwn(ZJRC_SERVICES, method) ? ZJRC_SERVICES[method] : undefined;
    if (!service) throw fail(fixture, 'unknown_method', method);
    if (fixture.versions.length && !fixture.versions.includes(raw[f.version])) {
      throw fail(fixture, 'unsupported_version', `${raw[f.version]} (accepted: ${fixture.versions.join(', ')})`);
    }
    const sentType = raw[f.signType] || fixture.signType;
    if (!isRsaSignType(sentType)) throw fail(fixture, 'invalid_sign_type', sentType);
    signType = sentType;
    const content = zjrcSignContent(raw, signOptions(fixture));
    if (!rsaVerify(content, raw[f.sign], appPublicKey(app), signType)) {
      throw fail(fixture, 'invalid_sign', `sign must be the Base64 ${SIGN_ALGORITHM[signType]} signature, made with the private key of app ${app.appId}, of the text "${content}"`);
    }
    checkTimestamp(fixture, raw[f.timestamp], world.clock.now());
    const biz = parseBizContent(fixture, raw[f.bizContent]);
    params = { ...raw, [f.bizContent]: biz };
    outcome = { ok: true, bizContent: await service({ world, fixture, app, biz }) };
  } catch (e) {
    if (!(e instanceof ZjrcFailure)) throw e;
    outcome = { ok: false, error: e.error };
  }
  const reply = renderGateway(fixture, outcome, signType);
  if (params) reply.params = params;
  return reply;
}

function checkTimestamp(fixture: ZjrcFixture, sent: string, now: number): void {
  const at = parseZjrcTimestamp(sent, fixture.utcOffsetMinutes);
  if (at === undefined) throw fail(fixture, 'invalid_timestamp', sent);
  const tolerance = fixture.timestampToleranceSeconds;
  if (tolerance > 0 && Math.abs(now - at) > tolerance * 1000) {
    const platformTime = zjrcTimestamp(now, fixture.utcOffsetMinutes);
    throw fail(fixture, 'stale_timestamp', `${sent} is more than ${tolerance} s away from the platform time ${platformTime}`);
  }
}

export const gatewayEndpoints: Endpoint[] = [{ method: 'POST', path: GATEWAY_PATH, name: 'gateway.do', tags: ['signed'], handle: gateway }];
