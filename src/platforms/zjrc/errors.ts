import { defineCatalogue, refusals, type ProtocolError, type WithCoreKinds } from '../../core/errors/protocol-error.js';
import type { Endpoint, RenderContext, Reply } from '../../core/platform.js';
import { authorizeRequestOf, renderAuthorizeError, renderLoginForm } from './authorize-page.js';
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
 * The authorization page's refusals (`page`: its HTML error page) and its login failures (`login`:
 * the form again, with the text) are kinds here too, so a fixture changes a page text in one place
 * and a fault rule asking for one answers as the page does; on the gateway they answer as gateway errors.
 */
export type ZjrcErrorLayer = 'gateway' | 'business' | 'page' | 'login';

interface ErrorEntry {
  layer: ZjrcErrorLayer;
  code: string;
  message: string;
  status?: number;
}

const ENTRIES = {
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
  // The authorization page (its unknown appId is unknown_app, an unknown scope unknown_scope, as on the gateway).
  page_missing_param: { layer: 'page', code: '300001', message: '缺少参数 {detail}' },
  redirect_uri_not_registered: { layer: 'page', code: '300002', message: 'redirectUri 未登记: {detail}' },
  scope_not_allowed: { layer: 'page', code: '300003', message: '应用无权申请授权范围: {detail}' },
  empty_credentials: { layer: 'login', code: '300004', message: '用户名和密码不能为空' },
  bad_credentials: { layer: 'login', code: '300005', message: '用户名或密码错误' },
  user_not_allowed: { layer: 'login', code: '300006', message: '该用户不能授权此应用' },
} satisfies WithCoreKinds<ErrorEntry>;

export type ZjrcErrorKind = keyof typeof ENTRIES;

export const ZJRC_ERRORS = defineCatalogue<ZjrcErrorKind, ErrorEntry>(ENTRIES, ['detail', 'encoding']);

/** ZJRC's refusals: only its kinds compile. */
export const { refuse, refuseWithNote } = refusals(ZJRC_ERRORS);

/** Where ZJRC answers: the signed gateway, or the browser's authorization page. */
export type ZjrcSurface = 'gateway' | 'page';

/** A ZJRC endpoint: it says on which surface it answers. */
export type ZjrcEndpoint<P> = Endpoint<ZjrcFixture, ZjrcIndex, P, ZjrcSurface> & { surface: ZjrcSurface };

export interface ResolvedError {
  layer: 'gateway' | 'business';
  code: string;
  message: string;
  status: number;
}

const statusOf = (status: number | undefined): { status?: number } => (status === undefined ? {} : { status });

/** A kind as the gateway answers it: the page's kinds are gateway-level failures there. */
export function resolveError(error: ProtocolError, fixture: ZjrcFixture): ResolvedError {
  const e = ZJRC_ERRORS.resolve(error.kind, fixture.errors, error.vars);
  return { layer: e.layer === 'business' ? 'business' : 'gateway', code: e.code, message: e.message, status: e.status ?? 200 };
}

/**
 * The one renderer: gateway refusals in the signed gateway shape (a gateway code, or the success code
 * with a business code); on the authorization page, a browser page, a login failure shows the form
 * again (200) with its text, and anything else an HTML error page (400 unless the entry says otherwise).
 */
export function renderZjrcError(error: ProtocolError, ctx: RenderContext<ZjrcFixture, ZjrcIndex, ZjrcSurface>): Reply {
  const params = ctx.params as Record<string, string> | undefined;
  if (ctx.endpoint?.surface === 'page') {
    const e = ZJRC_ERRORS.resolve(error.kind, ctx.fixture.errors, error.vars);
    if (e.layer === 'login' && params) return { ...renderLoginForm(authorizeRequestOf(ctx.index, params), e.message, params.username), ...statusOf(e.status) };
    return { ...renderAuthorizeError(e.message), ...statusOf(e.status) };
  }
  const resolved = resolveError(error, ctx.fixture);
  const sent = params?.[ctx.fixture.fields.signType];
  return renderGateway(ctx.fixture, ctx.index, { ok: false, error: resolved }, sent !== undefined && isRsaSignType(sent) ? sent : ctx.fixture.signType);
}
