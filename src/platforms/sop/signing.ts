import type { KeyObject } from 'node:crypto';
import { formatLocal, parseLocal } from '../../core/time/local-time.js';
import { privateKeyOf, publicKeyOf, rsaSign, rsaVerify, type RsaHash } from '../../core/crypto.js';
import { keyEntry, type KeyEntry } from '../../core/signing/key-entry.js';
import type { SignedRequest, SigningFace } from '../../core/platform.js';
import { jsonOption, need, pickEntry } from '../../core/signing/sign-input.js';
import type { SopFixture } from './fixture.js';

/** SOP / Alipay signature types: RSA2 = SHA256withRSA, RSA = SHA1withRSA, both Base64. */
export type SopSignType = 'RSA2' | 'RSA';

export const SOP_HASH: Readonly<Record<SopSignType, RsaHash>> = { RSA2: 'sha256', RSA: 'sha1' };

export function isSopSignType(value: string | undefined): value is SopSignType {
  return value === 'RSA2' || value === 'RSA';
}

/**
 * The text a request signature covers: every param except `sign` (`sign_type` included, empty values
 * kept), sorted by key in code-unit order (Java's TreeMap), `k=v` joined with `&`, values not encoded.
 */
export function sopSignContent(params: Readonly<Record<string, string | undefined>>): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined)
    .sort();
  let text = '';
  for (const k of keys) text += `${text === '' ? '' : '&'}${k}=${params[k]}`;
  return text;
}

/**
 * Sign a gateway request as an SOP client does. `privateKey` is the app's private key: PEM or bare
 * Base64 (PKCS#8 or PKCS#1), or a KeyObject. Uses `params.sign_type` (RSA2 when absent).
 */
export function signSopRequest(params: Readonly<Record<string, string>>, privateKey: string | KeyObject): Record<string, string> {
  const signType = params.sign_type ?? 'RSA2';
  if (!isSopSignType(signType)) throw new TypeError(`sign_type must be RSA2 or RSA, got ${JSON.stringify(signType)}`);
  const key = privateKeyOf(privateKey);
  const { sign: _old, ...rest } = params;
  return { ...rest, sign: rsaSign(sopSignContent(rest), key, SOP_HASH[signType]) };
}

export interface SopResponseCheck {
  /** true when `sign` verifies over the node's exact text with the platform public key. */
  valid: boolean;
  /** The response key, e.g. "open_auth_token_app_response" or "error_response". */
  key: string | undefined;
  node: Record<string, unknown> | undefined;
  /** The node's exact JSON text, as signed. */
  nodeText: string | undefined;
}

/**
 * Check a gateway response as a client does: the signature covers the exact JSON text of the
 * `<method>_response` node, verified with the platform public key and the request's sign_type.
 */
export function verifySopResponse(body: string, platformPublicKey: string | KeyObject, signType: SopSignType = 'RSA2'): SopResponseCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { valid: false, key: undefined, node: undefined, nodeText: undefined };
  }
  if (parsed === null || typeof parsed !== 'object') return { valid: false, key: undefined, node: undefined, nodeText: undefined };
  const obj = parsed as Record<string, unknown>;
  const key = Object.keys(obj).find((k) => k !== 'sign');
  if (!key) return { valid: false, key: undefined, node: undefined, nodeText: undefined };
  const node = obj[key] as Record<string, unknown>;
  const marker = `${JSON.stringify(key)}:`;
  const start = body.indexOf(marker) + marker.length;
  const end = body.lastIndexOf(',"sign"');
  const nodeText = end > start ? body.slice(start, end).trim() : body.slice(start, body.lastIndexOf('}')).trim();
  const sign = obj.sign;
  if (typeof sign !== 'string') return { valid: false, key, node, nodeText };
  const pub = publicKeyOf(platformPublicKey);
  return { valid: rsaVerify(nodeText, sign, pub, SOP_HASH[signType]), key, node, nodeText };
}

/** `yyyy-MM-dd HH:mm:ss` in the platform's time zone (minutes east of UTC; Asia/Shanghai = 480). */
export function sopTimestamp(epochMs: number, utcOffsetMinutes = 480): string {
  return formatLocal(epochMs, utcOffsetMinutes);
}

/** Inverse of sopTimestamp; undefined when the text is not a real instant in that format. */
export function parseSopTimestamp(text: string, utcOffsetMinutes = 480): number | undefined {
  return parseLocal(text, utcOffsetMinutes);
}

/** `sandbox sign sop request`: a signed gateway call made with the app's fixture private key. */
export const sopSigning: SigningFace<SopFixture> = {
  actions: ['request'],
  defaultAction: 'request',
  options: {
    method: 'sop: the gateway method (open.auth.token.app, alipay.story.get, ...)',
    'biz-content': 'sop: biz_content, as JSON',
    'app-auth-token': 'sop: app_auth_token',
    'sign-type': 'sop: RSA2 (default) or RSA',
    'api-version': 'sop: the version parameter (default 1.0)',
    'private-key': 'sop: sign with the key in this file instead of the app’s fixture key',
  },
  sign(fx, action, input): SignedRequest {
    if (action !== 'request') throw new Error(`sop signs: request (a signed gateway call); got "${action}"`);
    const app = pickEntry(fx.apps, input.app, (a) => a.appId, 'sop app');
    const key = (input.privateKey as string | undefined) ?? app.privateKey;
    if (!key) throw new Error(`sop app ${app.appId} has no privateKey in the fixtures; pass --private-key FILE`);
    const bizContent = input.bizContent as string | undefined;
    if (bizContent !== undefined) jsonOption(bizContent, 'biz-content');
    const params: Record<string, string> = {
      app_id: app.appId,
      method: need(input, 'method', 'the gateway method, e.g. open.auth.token.app or alipay.story.get'),
      format: 'json',
      charset: 'utf-8',
      sign_type: (input.signType as string | undefined) ?? 'RSA2',
      timestamp: input.timestamp ?? sopTimestamp(input.at, fx.utcOffsetMinutes),
      version: (input.version as string | undefined) ?? '1.0',
      ...(input.appAuthToken ? { app_auth_token: input.appAuthToken as string } : {}),
      ...(bizContent !== undefined ? { biz_content: bizContent } : {}),
      ...input.params,
    };
    const signed = signSopRequest(params, key);
    return {
      about: `sop app ${app.appId} (its fixture private key)`,
      values: { timestamp: signed.timestamp, sign: signed.sign },
      request: { method: 'POST', path: '/', form: signed },
    };
  },
};

/** Every key the SOP fixture holds, with what a client does with it (`sandbox keys`). */
export function sopKeys(fixture: SopFixture): KeyEntry[] {
  const out: KeyEntry[] = [];
  for (const app of fixture.apps) {
    const owner = `app ${app.appId}${app.name ? ` (${app.name})` : ''}`;
    if (app.privateKey) out.push(keyEntry('sop', owner, 'private', "sign gateway requests with it (alipay-sdk: privateKey, keyType 'PKCS8')", app.privateKey));
    if (app.publicKey) out.push(keyEntry('sop', owner, 'public', 'the gateway verifies request signatures with it', app.publicKey));
  }
  if (fixture.platformKeys) {
    out.push(keyEntry('sop', 'platform', 'public', 'verify response signatures with it (alipay-sdk: alipayPublicKey)', fixture.platformKeys.publicKey));
    out.push(keyEntry('sop', 'platform', 'private', 'the sandbox signs responses with it; clients never need it', fixture.platformKeys.privateKey));
  }
  return out;
}
