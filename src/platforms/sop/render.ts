import type { KeyObject } from 'node:crypto';
import { rsaSign } from '../../core/crypto.js';
import { JSON_UTF8 } from '../../core/http/reply.js';
import type { Reply } from '../../core/platform.js';
import { SOP_HASH, type SopSignType } from './signing.js';

/** `alipay.story.get` → `alipay_story_get_response`; `error_response` when the request named no method. */
export function responseKey(method: string | undefined): string {
  return method ? `${method.replace(/\./g, '_')}_response` : 'error_response';
}

/**
 * The one place a gateway answer becomes bytes: `{"<key>":<node>,"sign":"<Base64>"}`. The node is
 * serialised once and that exact text is what the platform private key signs, so a client that cuts
 * the node out of the body verifies the very bytes that were signed.
 */
export function gatewayReply(platformKey: KeyObject | undefined, key: string, node: Record<string, unknown>, signType: SopSignType, sign = true): Reply {
  const nodeText = JSON.stringify(node);
  const data: Record<string, unknown> = { [key]: node };
  let body = `{${JSON.stringify(key)}:${nodeText}`;
  const privateKey = sign ? platformKey : undefined;
  if (privateKey) {
    const signature = rsaSign(nodeText, privateKey, SOP_HASH[signType]);
    data.sign = signature;
    body += `,"sign":"${signature}"`;
  }
  return { status: 200, contentType: JSON_UTF8, body: `${body}}`, data };
}

/** A routed success node: code and msg first, then the method's fields. */
export function successNode(fields: Record<string, unknown>): Record<string, unknown> {
  return { code: '10000', msg: 'Success', ...fields };
}
