import { parseJson } from '../../core/http/params.js';

/**
 * Whether a gateway call is a refresh: `open.auth.token.app` serves the code exchange too, and only the
 * grant type inside `biz_content` tells them apart, so rules tagged "refresh" reach SOP refreshes.
 */
export function isRefresh(params: unknown): boolean {
  const p = params as Record<string, unknown> | undefined;
  if (p?.method !== 'open.auth.token.app' || typeof p.biz_content !== 'string') return false;
  const biz = parseJson(p.biz_content);
  return biz.ok && typeof biz.value === 'object' && biz.value !== null && (biz.value as Record<string, unknown>).grant_type === 'refresh_token';
}
