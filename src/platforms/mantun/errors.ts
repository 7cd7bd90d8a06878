import { defineCatalogue, refusals, type ProtocolError, type WithCoreKinds } from '../../core/errors/protocol-error.js';
import { jsonReply } from '../../core/http/reply.js';
import type { Endpoint, RenderContext, Reply } from '../../core/platform.js';
import type { MantunFixture } from './fixture.js';
import type { MantunIndex } from './lookups.js';

/**
 * Mantun's error catalogue. Nothing public shows a real error body, so codes and texts are the
 * sandbox's own (Assumed, docs/platforms/mantun.md#errors): stable, documented, and overridable per
 * kind in fixtures (`mantun.errors.<kind>`). Every code is a non-zero string that is not 32 hex
 * characters, so no client takes a refusal for success ("0") or for an authorization code.
 */
interface MantunErrorEntry {
  code: string;
  message: string;
  status?: number;
}

const ENTRIES = {
  invalid_request: { code: '10001', message: 'invalid request: {detail}' },
  unsupported_response_type: { code: '10002', message: 'response_type must be "code"' },
  unsupported_grant_type: { code: '10003', message: 'unsupported grant_type: {detail}' },
  invalid_credentials: { code: '10004', message: 'uname or passwd is incorrect' },
  unknown_client: { code: '10005', message: 'unknown client_id: {detail}' },
  redirect_uri_mismatch: { code: '10006', message: 'redirect_uri does not match the one registered for this client' },
  invalid_client_secret: { code: '10007', message: 'client_secret is wrong: expected md5(client_id + grant_type + redirect_uri + {detail} + appSecret)' },
  invalid_code: { code: '10010', message: 'code is invalid' },
  code_used: { code: '10011', message: 'code has already been used' },
  code_expired: { code: '10012', message: 'code has expired' },
  invalid_refresh_token: { code: '10020', message: 'refresh_token is invalid' },
  refresh_token_used: { code: '10021', message: 'refresh_token has already been used' },
  refresh_token_expired: { code: '10022', message: 'refresh_token has expired' },
  refresh_token_revoked: { code: '10023', message: 'refresh_token has been revoked' },
  invalid_access_token: { code: '10030', message: 'access_token is invalid' },
  access_token_expired: { code: '10031', message: 'access_token has expired' },
  access_token_revoked: { code: '10032', message: 'access_token has been revoked' },
  invalid_sign: { code: '10040', message: 'sign is wrong: expected md5(values of all other params sorted by name + appSecret)' },
  invalid_timestamp: { code: '10041', message: 'timestamp is missing, malformed (yyyyMMddHHmmss) or too far from server time' },
  unknown_method: { code: '10042', message: 'unknown method: {detail}' },
  not_found: { code: '10043', message: 'not found: {detail}' },
  body_too_large: { code: '10050', message: 'request body is too large', status: 413 },
  unreadable_body: { code: '10051', message: 'request body could not be read', status: 400 },
  service_unavailable: { code: '10099', message: 'service is busy, try again later' },
} satisfies WithCoreKinds<MantunErrorEntry>;

export const MANTUN_ERRORS = defineCatalogue<keyof typeof ENTRIES, MantunErrorEntry>(ENTRIES);

/** "OAuth callback url needs to be provided!": its own shape, set by the fixture's `callbackError`. */
export const CALLBACK_URL_MISSING = 'callback_url_missing';

export type MantunErrorKind = keyof typeof ENTRIES | typeof CALLBACK_URL_MISSING;

export const MANTUN_ERROR_KINDS: readonly MantunErrorKind[] = [...MANTUN_ERRORS.kinds, CALLBACK_URL_MISSING];

/** Mantun's refusals: only its kinds compile. */
export const { refuse, refuseWithNote } = refusals<MantunErrorKind>();

/**
 * Where Mantun answers: `login` is authverify2.as (whose failure `success` a fixture may turn into the
 * string "false"), `api` every other endpoint.
 */
export type MantunSurface = 'login' | 'api';

/** A Mantun endpoint: it says on which surface it answers. */
export type MantunEndpoint<P> = Endpoint<MantunFixture, MantunIndex, P, MantunSurface> & { surface: MantunSurface };

type Ctx = RenderContext<MantunFixture, MantunIndex, MantunSurface>;

/**
 * The one renderer of Mantun's refusals: `{"success":false,"code","message"}` with HTTP 200 unless the
 * catalogue says otherwise; the callback-url error is the fixture's text. `success` is the boolean false
 * on every endpoint by default, authverify2.as included: public clients test it with Python truthiness
 * (`not body.get('success')`) or Java string equality (`"true".equals(json.getString("success"))`), and
 * the string "false" is truthy. `authverifyFailureSuccess: "string"` restores the string there.
 */
export function renderMantunError(error: ProtocolError, ctx: Ctx): Reply {
  if (error.kind === CALLBACK_URL_MISSING) {
    const cb = ctx.fixture.callbackError;
    const reply: Reply = { status: cb.status, contentType: cb.contentType, body: cb.body, data: cb.body };
    if (cb.location) reply.headers = { location: cb.location };
    return reply;
  }
  const e = MANTUN_ERRORS.resolve(error.kind, ctx.fixture.errors, error.vars);
  const stringSuccess = ctx.endpoint?.surface === 'login' && ctx.fixture.authverifyFailureSuccess === 'string';
  return jsonReply({ success: stringSuccess ? 'false' : false, code: e.code, message: e.message }, e.status ?? 200);
}
