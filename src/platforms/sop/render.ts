import type { KeyObject } from 'node:crypto';
import { rsaSign } from '../../core/crypto.js';
import { JSON_UTF8 } from '../../core/http/reply.js';
import type { Reply } from '../../core/platform.js';
import type { SopIndex } from './lookups.js';
import { SOP_HASH, type SopSignType } from './signing.js';

/** `alipay.story.get` → `alipay_story_get_response`; `error_response` when the request named no method. */
export function responseKey(method: string | undefined): string {
  return method ? `${method.replace(/\./g, '_')}_response` : 'error_response';
}

/**
 * The key the gateway signs an answer with, by the request's app_id: none when the request names no app or an
 * unknown one, or the app has no platform key pair, as SOP's gateway leaves such answers unsigned
 * (docs/platforms/sop.md#answers-and-their-signature).
 */
export function answerKeyFor(index: SopIndex, appId: string | undefined): KeyObject | undefined {
  const app = appId ? index.apps.get(appId) : undefined;
  return app && app.platformKeys !== false ? index.platformKey : undefined;
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

/** Where a routed answer's `request_id` goes in its node (fixture `requestIdPosition`). */
export type RequestIdPosition = 'first' | 'last';

/**
 * A routed node with the gateway's request_id: first by default, as SOP's current gateway writes it; `last` is
 * where the sandbox put it before. A method field of that name gives way to the gateway's.
 */
export function withRequestId(node: Record<string, unknown>, requestId: string, position: RequestIdPosition): Record<string, unknown> {
  const { request_id: _own, ...rest } = node;
  return position === 'first' ? { request_id: requestId, ...rest } : { ...rest, request_id: requestId };
}

/** A routed success node: code and msg first, then the method's fields. */
export function successNode(fields: Record<string, unknown>): Record<string, unknown> {
  return { code: '10000', msg: 'Success', ...fields };
}
