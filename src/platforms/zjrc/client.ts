import type { KeyObject } from 'node:crypto';
import { hmacSha1 } from '../../core/crypto.js';
import { formatLocal, parseLocal } from '../../core/local-time.js';
import { rsaSign, rsaVerify, type RsaSignType } from './rsa.js';

/**
 * What a ZJRC client does, for tests and scripts: no public Node SDK exists, so these build the
 * requests the Java SDK (cn.com.eagle.sdk) would send and check the platform's response signature.
 * The server uses the same functions, so client and sandbox cannot drift apart.
 */

export interface SignContentOptions {
  /** Fields left out of the signed text (default: only the signature field itself). */
  exclude?: readonly string[];
  /** Keep fields whose value is empty (default false: "all non-empty fields"). */
  includeEmpty?: boolean;
}

/** The signed text: fields sorted by key (code-unit order), `k=v` joined by `&`, values as sent. */
export function zjrcSignContent(fields: Record<string, unknown>, opts: SignContentOptions = {}): string {
  const exclude = opts.exclude ?? ['sign'];
  const parts: string[] = [];
  for (const key of Object.keys(fields).sort()) {
    if (exclude.includes(key)) continue;
    const raw = fields[key];
    if (raw === undefined || raw === null) continue;
    const value = typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
    if (value === '' && !opts.includeEmpty) continue;
    parts.push(`${key}=${value}`);
  }
  return parts.join('&');
}

/** Base64 RSA signature (RSA2 = SHA256withRSA, RSA = SHA1withRSA) of the request fields. */
export function zjrcSign(fields: Record<string, unknown>, privateKey: string | KeyObject, signType: RsaSignType = 'RSA2', opts?: SignContentOptions): string {
  return rsaSign(zjrcSignContent(fields, opts), privateKey, signType);
}

/** clientSign = HMAC-SHA1(data, key = client_secret); data is the code or the refresh token (or openId). */
export function zjrcClientSign(data: string, clientSecret: string, encoding: 'hex' | 'base64' = 'hex'): string {
  return hmacSha1(data, clientSecret, encoding);
}

/** `yyyy-MM-dd HH:mm:ss` in the platform's local time (minutes east of UTC; Asia/Shanghai = 480). */
export function zjrcTimestamp(epochMs: number, utcOffsetMinutes = 480): string {
  return formatLocal(epochMs, utcOffsetMinutes);
}

/** Inverse of zjrcTimestamp; undefined when the text is not a real local date and time. */
export function parseZjrcTimestamp(text: string, utcOffsetMinutes = 480): number | undefined {
  return parseLocal(text, utcOffsetMinutes);
}

export interface ZjrcRequestOptions {
  appId: string;
  /** The app's private key: PEM, or bare Base64 PKCS#8 as Java configs hold it. */
  privateKey: string | KeyObject;
  method: string;
  /** An object (serialised with JSON.stringify) or the JSON text itself. */
  bizContent: Record<string, unknown> | string;
  /**
   * When the request is made: epoch ms (pass the sandbox clock, `sb.clock.now()`), a Date, or a
   * preformatted `yyyy-MM-dd HH:mm:ss`. Required because the gateway refuses stale timestamps.
   */
  timestamp: number | Date | string;
  version?: string;
  dlpId?: string;
  prodId?: string;
  signType?: RsaSignType;
  utcOffsetMinutes?: number;
}

/**
 * A complete, signed gateway body: POST it as JSON (or as a form) to
 * /oip-gateway-server/zjrcuoip/gateway.do.
 */
export function zjrcRequest(opts: ZjrcRequestOptions): Record<string, string> {
  const ts = opts.timestamp;
  const timestamp = typeof ts === 'string' ? ts : zjrcTimestamp(ts instanceof Date ? ts.getTime() : ts, opts.utcOffsetMinutes);
  const fields: Record<string, string> = {
    appId: opts.appId,
    method: opts.method,
    version: opts.version ?? '1.0.0',
    timestamp,
    bizContent: typeof opts.bizContent === 'string' ? opts.bizContent : JSON.stringify(opts.bizContent),
    signType: opts.signType ?? 'RSA2',
  };
  if (opts.dlpId !== undefined) fields.dlpId = opts.dlpId;
  if (opts.prodId !== undefined) fields.prodId = opts.prodId;
  fields.sign = zjrcSign(fields, opts.privateKey, fields.signType as RsaSignType);
  return fields;
}

/** Does a gateway response verify with the platform public key (what the SDK's isSignValid() checks)? */
export function zjrcVerifyResponse(body: Record<string, unknown>, platformPublicKey: string | KeyObject, signType: RsaSignType = 'RSA2'): boolean {
  const sign = body.sign;
  if (typeof sign !== 'string') return false;
  return rsaVerify(zjrcSignContent(body), sign, platformPublicKey, signType);
}
