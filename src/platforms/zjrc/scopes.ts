/**
 * The six user-info scopes (docs/platforms/zjrc.md#scopes) and the user fields each one reveals. The order of the
 * lists is the order of the fields in the answer. Field names are Assumed (the real names are not
 * public) and fixtures can replace any list (`zjrc.scopeFields`).
 */
export const ZJRC_SCOPES = [
  'get_default_user_info',
  'get_nor_user_info',
  'get_associate_user_info',
  'get_tight_user_info',
  'get_core_user_info',
  'get_weak_user_info',
] as const;

export type ZjrcScope = (typeof ZJRC_SCOPES)[number];

export const DEFAULT_SCOPE_FIELDS: Record<ZjrcScope, string[]> = {
  get_default_user_info: ['openId'],
  get_nor_user_info: ['openId', 'nickname', 'avatar'],
  get_associate_user_info: ['openId', 'nickname', 'avatar', 'mobile'],
  get_tight_user_info: ['openId', 'nickname', 'avatar', 'mobile', 'idNumber'],
  get_core_user_info: ['openId', 'nickname', 'avatar', 'mobile', 'idNumber', 'cardNumber'],
  // A weakly-authenticated user has only proven a phone number.
  get_weak_user_info: ['openId', 'mobile'],
};

export function isZjrcScope(name: string): name is ZjrcScope {
  return (ZJRC_SCOPES as readonly string[]).includes(name);
}

/** The union of the fields of several scopes, first-seen order, each once. */
export function fieldsOf(scopes: readonly string[], table: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const s of scopes) for (const f of table[s] ?? []) if (!out.includes(f)) out.push(f);
  return out;
}

/** "a b", "a,b" or "a+b" (as a query string may carry it) → distinct scope names in order. */
export function splitScopeText(text: string): string[] {
  const out: string[] = [];
  for (const s of text.split(/[\s,+]+/)) if (s && !out.includes(s)) out.push(s);
  return out;
}
