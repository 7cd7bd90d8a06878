import { jsonReply } from '../../core/http/reply.js';
import type { Reply } from '../../core/platform.js';

interface ErrorEntry {
  /** The body's integer `status` (0 failure, 5 "does not Timeout"). */
  status: number;
  msg: string;
  /** Present only where the real service sends one (login failures: 400). */
  code?: number | string;
  /** HTTP status; the real service answers its failures with 200. */
  httpStatus?: number;
}

/**
 * UserCenter's error catalogue (PROTOCOLS §2). The texts of access_not_timeout, user_not_found and
 * refresh_failed are the real service's, byte for byte (trailing space and double space included);
 * the others are the sandbox's own ("Assumed"), stable and overridable per kind in fixtures
 * (`usercenter.errors.<kind>`).
 */
export const USERCENTER_ERRORS = {
  invalid_body: { status: 0, msg: 'request body must be a JSON object (or a form): {detail}' },
  invalid_field: { status: 0, msg: '{detail}' },
  missing_param: { status: 0, msg: '{detail} is required' },
  login_missing_param: { status: 0, code: 400, msg: '{detail} is required' },
  unknown_client: { status: 0, code: 400, msg: 'client_id "{detail}" is not registered' },
  sysid_mismatch: { status: 0, code: 400, msg: 'sysid "{detail}" does not belong to this client_id' },
  bad_credentials: { status: 0, code: 400, msg: 'username or password is incorrect' },
  bad_validate_code: { status: 0, code: 400, msg: 'validateCode is incorrect' },
  invalid_access_token: { status: 0, msg: 'accessToken is invalid or expired' },
  user_not_found: { status: 0, msg: 'can not find user by accesstoken ' },
  access_not_timeout: { status: 5, msg: 'Access Token  does not Timeout' },
  refresh_failed: { status: 0, msg: 'refresh accesstoken error,can not find accesstoken from refreshtoken,may be refresh token have used already' },
  body_too_large: { status: 0, msg: 'request body is too large', httpStatus: 413 },
  unreadable_body: { status: 0, msg: 'request body could not be read', httpStatus: 400 },
} as const satisfies Record<string, ErrorEntry>;

export type UserCenterErrorKind = keyof typeof USERCENTER_ERRORS;
export const USERCENTER_ERROR_KINDS = Object.keys(USERCENTER_ERRORS) as UserCenterErrorKind[];

/** A fixture override; `code: null` removes the code from the body. */
export type ErrorOverride = { status?: number; msg?: string; code?: number | string | null; httpStatus?: number };
export type ErrorOverrides = Partial<Record<UserCenterErrorKind, ErrorOverride>>;

/** `{"status":0,"msg":"..."}`, plus `code` where the catalogue has one. */
export function usercenterError(kind: UserCenterErrorKind, overrides: ErrorOverrides, detail = ''): Reply {
  const base: ErrorEntry = USERCENTER_ERRORS[kind];
  const o = overrides[kind] ?? {};
  const body: Record<string, unknown> = { status: o.status ?? base.status, msg: (o.msg ?? base.msg).replace('{detail}', detail) };
  const code = o.code === undefined ? base.code : o.code;
  if (code !== undefined && code !== null) body.code = code;
  return jsonReply(body, o.httpStatus ?? base.httpStatus ?? 200);
}
