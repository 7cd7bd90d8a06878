import { jsonReply } from '../../core/http/reply.js';
import type { Reply } from '../../core/platform.js';
import { errorNode, SOP_ERROR_KINDS, type SopErrorKind, type SopErrorOverrides } from './errors.js';
import type { SopFixture } from './fixture.js';
import { gatewayReply, successNode } from './render.js';

/** open.auth.token.app's OAuth errors, answered inside a 10000 node (§3.3). */
const TOKEN_ERRORS: Record<string, string> = {
  invalid_request: 'invalid request',
  expired_token: 'expired token',
  invalid_token: 'invalid token',
  invalid_grant: 'invalid grant',
};

const TOKEN_KEY = 'open_auth_token_app_response';

/** Every error a scenario fault rule may ask SOP for: gateway sub_codes, token errors, and the page's two. */
export const SOP_FAULT_KINDS: readonly string[] = [...SOP_ERROR_KINDS, ...Object.keys(TOKEN_ERRORS), 'invalid_client', 'redirect_uri_missing'];

/**
 * A catalogue error as the sandbox would answer it, for fault injection. No request is at hand, so
 * gateway errors use the `error_response` key, Chinese texts and an RSA2 signature.
 */
export function sopFaultReply(kind: string, fixture: SopFixture): Reply | undefined {
  if (Object.hasOwn(TOKEN_ERRORS, kind)) return gatewayReply(fixture, TOKEN_KEY, successNode({ error: kind, error_description: TOKEN_ERRORS[kind] }), 'RSA2');
  if (kind === 'invalid_client') return jsonReply({ error: 'invalid_client', error_description: 'invalid_client' }, 400);
  if (kind === 'redirect_uri_missing') {
    const e = fixture.redirectUriError;
    return { status: e.status, contentType: e.contentType, body: e.body, data: e.body };
  }
  if (!(SOP_ERROR_KINDS as string[]).includes(kind)) return undefined;
  const node = errorNode(kind as SopErrorKind, 'zh', fixture.errors as SopErrorOverrides);
  return kind === 'isv.invalid-parameter' ? gatewayReply(fixture, TOKEN_KEY, node, 'RSA2') : gatewayReply(fixture, 'error_response', node, 'RSA2', fixture.signErrors);
}
