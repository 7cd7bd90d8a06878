import { defineCatalogue, type ProtocolError } from '../../core/errors/protocol-error.js';
import type { RenderContext, Reply } from '../../core/platform.js';
import { renderAuthorizeError } from './authorize-page.js';
import type { ZjrcFixture } from './fixture.js';
import type { ZjrcIndex } from './lookups.js';
import { renderGateway } from './render.js';
import { isRsaSignType } from './rsa.js';

/**
 * ZJRC's error catalogue. The common-message page is not public, so every code and text here is
 * the sandbox's own (Assumed, docs/platforms/zjrc.md#errors): stable, documented and overridable per
 * kind in fixtures (`zjrc.errors.<kind>`).
 *
 * Gateway errors answer a non-zero `code` and no bizContent; business errors keep the success
 * `code` and carry a non-zero `bizCode` (numeric strings, as the SDK's getBizCode() returns).
 */
export type ZjrcErrorLayer = 'gateway' | 'business';

interface ErrorEntry {
  layer: ZjrcErrorLayer;
  code: string;
  message: string;
  status?: number;
}

export const ZJRC_ERRORS = defineCatalogue<string, ErrorEntry>(
  {
    invalid_request: { layer: 'gateway', code: '100001', message: '请求报文格式错误: {detail}' },
    missing_param: { layer: 'gateway', code: '100002', message: '缺少必要参数: {detail}' },
    unknown_app: { layer: 'gateway', code: '100003', message: '应用不存在: {detail}' },
    unknown_method: { layer: 'gateway', code: '100004', message: '接口不存在: {detail}' },
    unsupported_version: { layer: 'gateway', code: '100005', message: '接口版本不支持: {detail}' },
    invalid_sign_type: { layer: 'gateway', code: '100006', message: '签名类型不支持: {detail} (expected RSA2 or RSA)' },
    invalid_sign: { layer: 'gateway', code: '100007', message: '验签失败: {detail}' },
    invalid_timestamp: { layer: 'gateway', code: '100008', message: '时间戳格式错误: {detail} (expected yyyy-MM-dd HH:mm:ss)' },
    stale_timestamp: { layer: 'gateway', code: '100009', message: '时间戳已过期: {detail}' },
    invalid_biz_content: { layer: 'gateway', code: '100010', message: 'bizContent格式错误: {detail}' },
    body_too_large: { layer: 'gateway', code: '100011', message: '请求报文过大', status: 413 },
    unreadable_body: { layer: 'gateway', code: '100012', message: '请求报文无法读取', status: 400 },
    service_unavailable: { layer: 'gateway', code: '100099', message: '系统繁忙，请稍后再试' },
    missing_biz_param: { layer: 'business', code: '200001', message: '缺少业务参数: {detail}' },
    invalid_biz_param: { layer: 'business', code: '200002', message: '业务参数不合法: {detail}' },
    invalid_client_sign: { layer: 'business', code: '200003', message: 'clientSign校验失败: expected HMAC-SHA1({detail}, client_secret) as {encoding}' },
    invalid_code: { layer: 'business', code: '200004', message: '授权码无效' },
    code_expired: { layer: 'business', code: '200005', message: '授权码已过期' },
    code_used: { layer: 'business', code: '200006', message: '授权码已使用' },
    invalid_refresh_token: { layer: 'business', code: '200007', message: '刷新令牌无效' },
    refresh_token_expired: { layer: 'business', code: '200008', message: '刷新令牌已过期' },
    refresh_token_used: { layer: 'business', code: '200009', message: '刷新令牌已使用' },
    refresh_token_revoked: { layer: 'business', code: '200010', message: '刷新令牌已注销' },
    access_token_still_valid: { layer: 'business', code: '200011', message: '访问令牌尚未过期，无需刷新' },
    invalid_access_token: { layer: 'business', code: '200012', message: '访问令牌无效' },
    access_token_expired: { layer: 'business', code: '200013', message: '访问令牌已过期' },
    access_token_revoked: { layer: 'business', code: '200014', message: '访问令牌已注销' },
    openid_mismatch: { layer: 'business', code: '200015', message: 'openId与令牌不匹配' },
    unknown_scope: { layer: 'business', code: '200016', message: '授权范围不存在: {detail}' },
    scope_not_granted: { layer: 'business', code: '200017', message: '授权范围未获授权: {detail}' },
  },
  ['detail', 'encoding'],
);

export interface ResolvedError {
  layer: ZjrcErrorLayer;
  code: string;
  message: string;
  status: number;
}

export function resolveError(error: ProtocolError, fixture: ZjrcFixture): ResolvedError {
  const e = ZJRC_ERRORS.resolve(error.kind, fixture.errors, error.vars);
  return { layer: e.layer, code: e.code, message: e.message, status: e.status ?? 200 };
}

/**
 * The one renderer: gateway refusals in the signed gateway shape (a gateway code, or the success code
 * with a business code); the authorization page, a browser page, says what went wrong in HTML.
 */
export function renderZjrcError(error: ProtocolError, ctx: RenderContext<ZjrcFixture, ZjrcIndex>): Reply {
  const resolved = resolveError(error, ctx.fixture);
  if (ctx.endpoint && ctx.endpoint.name !== 'gateway.do')
    return { ...renderAuthorizeError(resolved.message), status: resolved.status === 200 ? 400 : resolved.status };
  const sent = (ctx.params as Record<string, string> | undefined)?.[ctx.fixture.fields.signType];
  return renderGateway(ctx.fixture, ctx.index, { ok: false, error: resolved }, sent !== undefined && isRsaSignType(sent) ? sent : ctx.fixture.signType);
}
