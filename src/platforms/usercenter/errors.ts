import { defineCatalogue, refusals, type ProtocolError, type WithCoreKinds } from '../../core/errors/protocol-error.js';
import { jsonReply } from '../../core/http/reply.js';
import type { RenderContext, Reply } from '../../core/platform.js';
import type { UserCenterFixture } from './fixture.js';
import type { UserCenterIndex } from './lookups.js';

interface ErrorEntry {
  /** The body's integer `status` (0 failure, 5 "does not Timeout"). */
  status: number;
  msg: string;
  /** Present only where the real service sends one (login failures: 400); a fixture's `null` removes it. */
  code?: number | string | null;
  /** HTTP status; the real service answers its failures with 200. */
  httpStatus?: number;
}

/**
 * UserCenter's error catalogue (docs/platforms/usercenter.md#errors). The texts of access_not_timeout,
 * user_not_found and refresh_failed are the real service's, byte for byte (trailing space and double
 * space included); the others are the sandbox's own (Assumed), stable and overridable per kind in
 * fixtures (`usercenter.errors.<kind>`).
 */
const ENTRIES = {
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
  service_unavailable: { status: 0, msg: 'system error, please try again later' },
} satisfies WithCoreKinds<ErrorEntry>;

export type UserCenterErrorKind = keyof typeof ENTRIES;

export const USERCENTER_ERRORS = defineCatalogue<UserCenterErrorKind, ErrorEntry>(ENTRIES);

/** UserCenter's refusals: only its kinds compile. */
export const { refuse } = refusals(USERCENTER_ERRORS);

/** The one renderer: `{"status":0,"msg":"..."}`, plus `code` where the catalogue has one. */
export function renderUserCenterError(error: ProtocolError, ctx: RenderContext<UserCenterFixture, UserCenterIndex>): Reply {
  const e = USERCENTER_ERRORS.resolve(error.kind, ctx.fixture.errors, error.vars);
  const body: Record<string, unknown> = { status: e.status, msg: e.msg };
  if (e.code !== undefined && e.code !== null) body.code = e.code;
  return jsonReply(body, e.httpStatus ?? 200);
}
