import { refuse, refuseWithNote, type ZjrcEndpoint } from './errors.js';
import { jsonToParams, looksLikeForm, parseForm, parseJson } from '../../core/http/params.js';
import type { EndpointContext, PlatformRequest, Reply } from '../../core/platform.js';
import { checkTimestampWindow, unreadableTimestampNote } from '../../core/time/timestamp-window.js';
import { parseZjrcTimestamp, zjrcSignContent, zjrcTimestamp } from './signing.js';
import type { ZjrcFixture } from './fixture.js';
import type { ZjrcIndex } from './lookups.js';
import { renderGateway, signOptions } from './render.js';
import { isRsaSignType, rsaVerify, type RsaSignType } from './rsa.js';
import { ZJRC_SERVICES } from './services.js';

export const GATEWAY_PATH = '/oip-gateway-server/zjrcuoip/gateway.do';

const SIGN_ALGORITHM: Record<RsaSignType, string> = { RSA2: 'SHA256withRSA', RSA: 'SHA1withRSA' };

type Ctx = EndpointContext<ZjrcFixture, ZjrcIndex>;
type Params = Record<string, string>;

/**
 * The body as a flat map: JSON (by Content-Type, or when it looks like JSON) or a form; the query
 * string underneath, as a servlet's getParameter would see it. A bizContent object is kept as the
 * JSON text it serialises to, which is also what gets signed.
 */
function readParams(req: PlatformRequest): Params {
  const out: Params = Object.assign(Object.create(null), req.query);
  const text = req.rawBody ? req.rawBody.toString('utf8') : '';
  if (text.trim() === '') return out;
  const isJson = req.contentType.includes('json') || (req.contentType !== 'application/x-www-form-urlencoded' && !looksLikeForm(text));
  if (isJson) {
    const parsed = parseJson(text);
    if (!parsed.ok) throw refuse('invalid_request', `the body is not valid JSON (${parsed.error})`);
    const params = jsonToParams(parsed.value);
    if (!params) throw refuse('invalid_request', 'the body must be a JSON object');
    return Object.assign(out, params);
  }
  return Object.assign(out, parseForm(text));
}

function parseBizContent(text: string): Record<string, unknown> {
  const parsed = parseJson(text);
  if (!parsed.ok) throw refuse('invalid_biz_content', `not valid JSON (${parsed.error})`);
  const v = parsed.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw refuse('invalid_biz_content', 'expected a JSON object');
  return v as Record<string, unknown>;
}

/**
 * POST gateway.do (docs/platforms/zjrc.md#gateway). Checks in this order, first failure wins: body
 * readable, common fields present, appId known, method known, version accepted, signType supported,
 * sign verifies, timestamp well formed and within the tolerance of the sandbox clock, bizContent a
 * JSON object; then the service.
 */
async function gateway(raw: Params, ctx: Ctx): Promise<Reply> {
  const { fixture, index } = ctx;
  const f = fixture.fields;
  const missing = [f.appId, f.method, f.version, f.timestamp, f.bizContent, f.sign].filter((n) => !raw[n]);
  if (missing.length) throw refuse('missing_param', missing.join(', '));
  const app = index.apps.get(raw[f.appId]);
  if (!app) throw refuse('unknown_app', raw[f.appId]);
  const method = raw[f.method];
  const service = Object.hasOwn(ZJRC_SERVICES, method) ? ZJRC_SERVICES[method] : undefined;
  if (!service) throw refuse('unknown_method', method);
  if (fixture.versions.length && !fixture.versions.includes(raw[f.version]))
    throw refuse('unsupported_version', `${raw[f.version]} (accepted: ${fixture.versions.join(', ')})`);
  const signType = raw[f.signType] || fixture.signType;
  if (!isRsaSignType(signType)) throw refuse('invalid_sign_type', signType);
  const content = zjrcSignContent(raw, signOptions(fixture));
  if (!rsaVerify(content, raw[f.sign], index.appKeys.get(app.appId)!, signType)) {
    throw refuse(
      'invalid_sign',
      `sign must be the Base64 ${SIGN_ALGORITHM[signType]} signature, made with the private key of app ${app.appId}, of the text "${content}"`,
    );
  }
  checkTimestamp(fixture, raw[f.timestamp], ctx.world.clock.now());
  const biz = parseBizContent(raw[f.bizContent]);
  const bizContent = await service({ world: ctx.world, fixture, index, app, biz });
  return renderGateway(fixture, index, { ok: true, bizContent }, signType);
}

function checkTimestamp(fixture: ZjrcFixture, sent: string, now: number): void {
  const at = parseZjrcTimestamp(sent, fixture.utcOffsetMinutes);
  if (at === undefined) throw refuseWithNote('invalid_timestamp', unreadableTimestampNote(sent, 'yyyy-MM-dd HH:mm:ss'), sent);
  const window = checkTimestampWindow(at, now, { toleranceSeconds: fixture.timestampToleranceSeconds, utcOffsetMinutes: fixture.utcOffsetMinutes });
  if (!window.ok) {
    const platformTime = zjrcTimestamp(now, fixture.utcOffsetMinutes);
    throw refuseWithNote(
      'stale_timestamp',
      window.note,
      `${sent} is more than ${fixture.timestampToleranceSeconds} s away from the platform time ${platformTime}`,
    );
  }
}

/** The journal shows bizContent as the object it parses to (masked like any object), the rest as sent. */
function journaled(raw: Params, ctx: Ctx): unknown {
  const field = ctx.fixture.fields.bizContent;
  const text = raw[field];
  if (text === undefined) return raw;
  const parsed = parseJson(text);
  return parsed.ok && parsed.value !== null && typeof parsed.value === 'object' ? { ...raw, [field]: parsed.value } : raw;
}

export const gatewayEndpoints: ZjrcEndpoint<Params>[] = [
  { method: 'POST', path: GATEWAY_PATH, name: 'gateway.do', surface: 'gateway', tags: ['signed'], parse: readParams, journal: journaled, handle: gateway },
];
