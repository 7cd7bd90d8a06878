import {
  BODY_TOO_LARGE,
  defineCatalogue,
  refusals,
  SERVICE_UNAVAILABLE,
  UNREADABLE_BODY,
  type CoreKind,
  type ProtocolError,
} from '../../core/errors/protocol-error.js';
import { jsonReply, textReply } from '../../core/http/reply.js';
import type { Endpoint, RenderContext, Reply } from '../../core/platform.js';
import type { SopFixture } from './fixture.js';
import { loginPage } from './login-page.js';
import type { SopIndex } from './lookups.js';
import { answerKeyFor, gatewayReply, responseKey, withRequestId } from './render.js';
import { isSopSignType, type SopSignType } from './signing.js';
import { tokenErrorNode } from './token-error-node.js';

/**
 * SOP's error catalogues (docs/platforms/sop.md#errors): the gateway's sub_codes, with code messages and
 * sub_code messages in Chinese (default) and English (`Accept-Language: en`); open.auth.token.app's OAuth
 * errors; the login pages' refusals. Fixtures may override any entry of any of them (`sop.errors.<kind>`).
 */
export type Locale = 'zh' | 'en';

export const CODE_MSGS: Record<string, { zh: string; en: string }> = {
  '10000': { zh: 'Success', en: 'Success' },
  '20000': { zh: '服务不可用', en: 'Service is temporarily unavailable' },
  '20001': { zh: '授权权限不足', en: 'Insufficient authorization authority' },
  '40001': { zh: '缺少必选参数', en: 'Missing required parameters' },
  '40002': { zh: '非法的参数', en: 'Invalid parameter' },
  '40004': { zh: '业务处理失败', en: 'Business processing failure' },
  '40006': { zh: '权限不足', en: 'Insufficient permissions' },
};

interface SubCodeEntry {
  code: string;
  zh: string;
  en: string;
}

const SUB_CODES = {
  'isv.missing-method': { code: '40001', zh: '缺少方法名参数', en: 'Method name parameter is missing' },
  'isv.missing-version': { code: '40001', zh: '缺少版本参数', en: 'Missing version parameter' },
  'isv.invalid-method': { code: '40002', zh: '不存在的方法名', en: 'Nonexistent method name' },
  'isv.missing-app-id': { code: '40001', zh: '缺少appId参数', en: 'Missing appId parameter' },
  'isv.invalid-app-id': { code: '40002', zh: '无效的appId参数', en: 'Invalid appId parameter' },
  'isv.access-forbidden': { code: '40006', zh: '无权访问', en: 'Access forbidden' },
  'isv.missing-signature': { code: '40001', zh: '缺少签名参数', en: 'Lack of signature parameter' },
  'isv.missing-signature-config': {
    code: '40002',
    zh: '验签出错, 未配置对应签名算法的公钥或者证书',
    en: 'Signature verification error, no public key or certificate of the corresponding signature algorithm is configured',
  },
  'isv.decryption-error-missing-encrypt-type': { code: '40001', zh: '解密出错, 未指定加密算法', en: 'Decryption error, no encryption algorithm specified' },
  'isv.invalid-charset': { code: '40002', zh: '字符集错误', en: 'Character set error' },
  'isv.invalid-signature-type': { code: '40002', zh: '无效的签名类型', en: 'Invalid signature type' },
  'isv.invalid-signature': { code: '40002', zh: '无效签名', en: 'Invalid signature' },
  'isv.invalid-timestamp': { code: '40002', zh: '非法的时间戳参数', en: 'Invalid timestamp parameter' },
  'isv.invalid-format': { code: '40002', zh: '无效的数据格式', en: 'Invalid data format' },
  // Uploads (docs/platforms/sop.md#file-uploads); the English texts are the sandbox's own.
  'isv.invalid-file-size': { code: '40002', zh: '文件大小无效', en: 'Invalid file size' },
  'isv.upload-fail': { code: '40002', zh: '文件上传失败', en: 'File upload failed' },
  'aop.invalid-app-auth-token': { code: '20001', zh: '无效的应用授权令牌', en: 'Invalid application authorization token' },
  'aop.app-auth-token-time-out': { code: '20001', zh: '应用授权令牌已过期', en: 'The application authorization token has expired' },
  'isp.unknown-error': { code: '20000', zh: '服务暂不可用', en: 'Service is temporarily unavailable' },
  // open.auth.token.app without grant_type (docs/platforms/sop.md#openauthtokenapp); the English text is the sandbox's own.
  'isv.invalid-parameter': { code: '40004', zh: '授权类型不能为空', en: 'The grant type must not be empty' },
} satisfies Record<string, SubCodeEntry>;

export const SOP_ERRORS = defineCatalogue<keyof typeof SUB_CODES, SubCodeEntry>(SUB_CODES);

/** open.auth.token.app's OAuth errors: answered with code 10000 and `{"error":"<kind>","error_description"}` inside the node. */
export const SOP_TOKEN_ERRORS = defineCatalogue({
  invalid_request: { error_description: 'invalid request' },
  expired_token: { error_description: 'expired token' },
  invalid_token: { error_description: 'invalid token' },
  invalid_grant: { error_description: 'invalid grant' },
});

/** The login page's refusal of an unknown app: `{"error":"invalid_client","error_description"}` with its HTTP status. */
export const SOP_PAGE_ERRORS = defineCatalogue({
  invalid_client: { status: 400, error_description: 'invalid_client' },
});

/** The login form's refusals of a user: the form again (HTTP 200) with the message above it. */
export const SOP_LOGIN_ERRORS = defineCatalogue({
  empty_credentials: { message: '用户名密码不能为空' },
  bad_credentials: { message: '用户名密码不正确' },
});

/** A login post without redirect_uri: its whole answer is the fixture's `redirectUriError`. */
export const REDIRECT_URI_MISSING = 'redirect_uri_missing';

export type SopErrorKind =
  | (typeof SOP_ERRORS.kinds)[number]
  | (typeof SOP_TOKEN_ERRORS.kinds)[number]
  | (typeof SOP_PAGE_ERRORS.kinds)[number]
  | (typeof SOP_LOGIN_ERRORS.kinds)[number]
  | typeof REDIRECT_URI_MISSING
  | CoreKind;

/** Every kind SOP renders: gateway sub_codes, token errors, the pages' own, and the core's body refusals. */
export const SOP_ERROR_KINDS: readonly SopErrorKind[] = [
  ...SOP_ERRORS.kinds,
  ...SOP_TOKEN_ERRORS.kinds,
  ...SOP_PAGE_ERRORS.kinds,
  ...SOP_LOGIN_ERRORS.kinds,
  REDIRECT_URI_MISSING,
  BODY_TOO_LARGE,
  UNREADABLE_BODY,
  SERVICE_UNAVAILABLE,
];

/** SOP's refusals: only its kinds compile. */
export const { refuse, refuseWithNote } = refusals<SopErrorKind>();

/** Where SOP answers: the signed gateway, or the browser's login pages. */
export type SopSurface = 'gateway' | 'page';

/** A SOP endpoint: it says on which surface it answers. */
export type SopEndpoint<P> = Endpoint<SopFixture, SopIndex, P, SopSurface> & { surface: SopSurface };

/** The error node: `{"code","msg","sub_code","sub_msg"}` in the caller's language. */
export function errorNode(kind: string, locale: Locale, overrides: SopFixture['errors']): Record<string, string> {
  const e = SOP_ERRORS.resolve(kind, overrides);
  const msgs = CODE_MSGS[e.code];
  return { code: e.code, msg: msgs ? msgs[locale] : e.code, sub_code: kind, sub_msg: e[locale] };
}

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';

/**
 * The one renderer of SOP's refusals, for the gateway and its fault rules alike: the node goes under the
 * key of the method the request named (`error_response` when it named none), in the caller's language,
 * signed with the request's sign_type (RSA2 until a usable one is known) when the request names an app that
 * has a platform key. Refusals a routed method raises (token errors, a missing grant type) carry a
 * request_id, as the method's own answers do.
 */
export function renderSopError(error: ProtocolError, ctx: RenderContext<SopFixture, SopIndex, SopSurface>): Reply {
  const { fixture, index } = ctx;
  const kind = error.kind;
  if (SOP_PAGE_ERRORS.has(kind)) {
    const e = SOP_PAGE_ERRORS.resolve(kind, fixture.errors);
    return jsonReply({ error: kind, error_description: e.error_description }, e.status);
  }
  if (SOP_LOGIN_ERRORS.has(kind)) {
    // The form again, filled from the post (or, for a fault on the GET, from its query) as the real refusal is.
    const p = (ctx.params ?? {}) as Record<string, string | undefined>;
    const clientId = p.client_id ?? p.app_id ?? '';
    return loginPage({
      clientId,
      redirectUri: p.redirect_uri ?? '',
      appName: index.apps.get(clientId)?.name,
      username: p.username,
      error: SOP_LOGIN_ERRORS.resolve(kind, fixture.errors).message,
    });
  }
  if (kind === REDIRECT_URI_MISSING) {
    const e = fixture.redirectUriError;
    return { status: e.status, contentType: e.contentType, body: e.body, data: e.body };
  }
  if (kind === BODY_TOO_LARGE || kind === UNREADABLE_BODY) {
    const status = kind === BODY_TOO_LARGE ? 413 : 400;
    // The login pages are browser pages (their own errors are plain text); the gateway answers its error node.
    if (ctx.endpoint?.surface === 'page') return textReply(kind === BODY_TOO_LARGE ? 'request body is too large' : 'request body could not be read', status);
    return { ...gatewayReply(index.platformKey, 'error_response', errorNode('isp.unknown-error', 'zh', fixture.errors), 'RSA2', fixture.signErrors), status };
  }
  const params = (ctx.params ?? {}) as Record<string, string | undefined>;
  const locale = localeOf(ctx.request?.headers['accept-language']);
  const signType: SopSignType = isSopSignType(params.sign_type) ? params.sign_type : 'RSA2';
  const key = responseKey(blank(params.method) ? undefined : params.method);
  const signer = answerKeyFor(index, params.app_id);
  const routed = (node: Record<string, unknown>) =>
    gatewayReply(signer, key, withRequestId(node, ctx.world.random.hex(16), fixture.requestIdPosition), signType);
  if (SOP_TOKEN_ERRORS.has(kind)) return routed(tokenErrorNode(kind, SOP_TOKEN_ERRORS.resolve(kind, fixture.errors).error_description));
  // The shared store did not answer: the gateway's own system error (服务暂不可用).
  const node = errorNode(kind === SERVICE_UNAVAILABLE ? 'isp.unknown-error' : kind, locale, fixture.errors);
  if (kind === 'isv.invalid-parameter') {
    // A method's own parameter error says which parameter, in the caller's language.
    const own = error.vars[locale];
    return routed(own === undefined ? node : { ...node, sub_msg: own });
  }
  return gatewayReply(signer, key, node, signType, fixture.signErrors);
}

/**
 * `Accept-Language`: the most preferred tag decides; English when it is `en` or `en-*`, Chinese
 * otherwise (including when the header is absent), as the real gateway answers.
 */
export function localeOf(header: string | string[] | undefined): Locale {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return 'zh';
  let best = '';
  let bestQ = -1;
  for (const part of text.split(',')) {
    const [tag, ...rest] = part.trim().split(';');
    const qPart = rest.find((p) => p.trim().startsWith('q='));
    const q = qPart ? Number.parseFloat(qPart.trim().slice(2)) : 1;
    if (tag && Number.isFinite(q) && q > bestQ) {
      best = tag.trim().toLowerCase();
      bestQ = q;
    }
  }
  return best === 'en' || best.startsWith('en-') ? 'en' : 'zh';
}
