import { jsonReply } from '../../core/http/reply.js';
import type { Reply } from '../../core/platform.js';

/**
 * Mantun's error catalogue. Nothing public shows a real error body, so codes and texts are the
 * sandbox's own (PROTOCOLS §1.6, "Assumed"): stable, documented in the README, and overridable per
 * kind in fixtures (`mantun.errors.<kind>`).
 */
export const MANTUN_ERRORS = {
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
} as const satisfies Record<string, { code: string; message: string; status?: number }>;

export type MantunErrorKind = keyof typeof MANTUN_ERRORS;
export const MANTUN_ERROR_KINDS = Object.keys(MANTUN_ERRORS) as MantunErrorKind[];

export type ErrorOverrides = Partial<Record<MantunErrorKind, { code?: string; message?: string; status?: number }>>;

/**
 * authverify2.as keeps its string type on failure ("success":"false"); every other endpoint answers
 * a boolean. Errors are HTTP 200 unless the catalogue says otherwise.
 */
export function mantunError(kind: MantunErrorKind, overrides: ErrorOverrides, opts: { detail?: string; stringSuccess?: boolean } = {}): Reply {
  const base: { code: string; message: string; status?: number } = MANTUN_ERRORS[kind];
  const o = overrides[kind] ?? {};
  const message = (o.message ?? base.message).replace('{detail}', opts.detail ?? '');
  const body = { success: opts.stringSuccess ? 'false' : false, code: o.code ?? base.code, message };
  return jsonReply(body, o.status ?? base.status ?? 200);
}
