/**
 * SOP's error catalogue (PROTOCOLS §3.2–3.3): code messages and sub_code messages in Chinese (default)
 * and English (`Accept-Language: en`). Fixtures may override any sub_code entry (`sop.errors`).
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

export const SOP_ERRORS = {
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
  'aop.invalid-app-auth-token': { code: '20001', zh: '无效的应用授权令牌', en: 'Invalid application authorization token' },
  'aop.app-auth-token-time-out': { code: '20001', zh: '应用授权令牌已过期', en: 'The application authorization token has expired' },
  'isp.unknown-error': { code: '20000', zh: '服务暂不可用', en: 'Service is temporarily unavailable' },
  // open.auth.token.app without grant_type (§3.3); the English text is the sandbox's own.
  'isv.invalid-parameter': { code: '40004', zh: '授权类型不能为空', en: 'The grant type must not be empty' },
} as const satisfies Record<string, { code: string; zh: string; en: string }>;

export type SopErrorKind = keyof typeof SOP_ERRORS;
export const SOP_ERROR_KINDS = Object.keys(SOP_ERRORS) as SopErrorKind[];

export type SopErrorOverrides = Partial<Record<SopErrorKind, { code?: string; zh?: string; en?: string }>>;

/** The error node: `{"code","msg","sub_code","sub_msg"}` in the caller's language. */
export function errorNode(kind: SopErrorKind, locale: Locale, overrides: SopErrorOverrides): Record<string, string> {
  const base = SOP_ERRORS[kind];
  const o = overrides[kind] ?? {};
  const code = o.code ?? base.code;
  const msgs = CODE_MSGS[code];
  return { code, msg: msgs ? msgs[locale] : code, sub_code: kind, sub_msg: o[locale] ?? base[locale] };
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
