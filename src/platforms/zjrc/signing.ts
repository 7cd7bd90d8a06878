import type { KeyObject } from 'node:crypto';
import { hmacSha1 } from '../../core/crypto.js';
import { keyEntry, type KeyEntry } from '../../core/signing/key-entry.js';
import { formatLocal, parseLocal } from '../../core/time/local-time.js';
import type { SignedRequest, SigningFace } from '../../core/platform.js';
import { jsonOption, need, pickEntry } from '../../core/signing/sign-input.js';
import type { ZjrcFixture } from './fixture.js';
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

/** The value a ZJRC service's clientSign covers: the code, else the refresh token, else the openId. */
function clientSignData(biz: Record<string, unknown>): string | undefined {
  for (const k of ['code', 'refreshToken', 'openId']) if (typeof biz[k] === 'string' && biz[k] !== '') return biz[k] as string;
  return undefined;
}

/** `sandbox sign zjrc request|client-sign`: a signed gateway call (clientSign filled in), or clientSign alone. */
export const zjrcSigning: SigningFace<ZjrcFixture> = {
  actions: ['request', 'client-sign'],
  defaultAction: 'request',
  options: {
    method: 'zjrc: the gateway service (zjrcuoip.oauth.get.openId.new, ...)',
    'biz-content': 'zjrc: bizContent, as JSON; clientSign is filled in from code, refreshToken or openId',
    'sign-type': 'zjrc: RSA2 (default) or RSA',
    'api-version': 'zjrc: the version parameter (default 1.0.0)',
    'private-key': 'zjrc: sign with the key in this file instead of the app’s fixture key',
    data: 'zjrc client-sign: the code, refresh token or openId to HMAC',
  },
  sign(fx, action, input): SignedRequest {
    const app = pickEntry(fx.apps, input.app, (a) => a.appId, 'zjrc app');
    const encoding = fx.clientSignEncoding === 'base64' ? 'base64' : 'hex';
    if (action === 'client-sign') {
      const data = need(input, 'data', 'the code, refresh token or openId the clientSign covers');
      return {
        about: `zjrc app ${app.appId} (client_secret from the fixtures, ${encoding})`,
        values: { clientSign: zjrcClientSign(data, app.clientSecret, encoding) },
      };
    }
    if (action !== 'request') throw new Error(`zjrc signs: request (a signed gateway call) or client-sign (HMAC-SHA1 of a code or token); got "${action}"`);
    const key = (input.privateKey as string | undefined) ?? app.privateKey;
    if (!key) throw new Error(`zjrc app ${app.appId} has no privateKey in the fixtures; pass --private-key FILE`);
    const biz = jsonOption(input.bizContent as string | undefined, 'biz-content');
    const values: Record<string, string> = {};
    // The OAuth services need clientSign inside bizContent; fill it in unless the caller gave one.
    const data = clientSignData(biz);
    if (biz.clientSign === undefined && data !== undefined) biz.clientSign = values.clientSign = zjrcClientSign(data, app.clientSecret, encoding);
    const f = fx.fields;
    const signType = (input.signType as RsaSignType | undefined) ?? fx.signType;
    const fields: Record<string, string> = {
      [f.appId]: app.appId,
      [f.method]: need(input, 'method', 'the gateway service, e.g. zjrcuoip.oauth.get.openId.new'),
      [f.version]: (input.version as string | undefined) ?? '1.0.0',
      [f.timestamp]: input.timestamp ?? zjrcTimestamp(input.at, fx.utcOffsetMinutes),
      [f.bizContent]: JSON.stringify(biz),
      [f.signType]: signType,
      ...(app.dlpId ? { [f.dlpId]: app.dlpId } : {}),
      ...(app.prodId ? { [f.prodId]: app.prodId } : {}),
      ...input.params,
    };
    const sign = zjrcSign(fields, key, signType, { exclude: [f.sign, ...fx.signExclude], includeEmpty: fx.signIncludeEmpty });
    values.timestamp = fields[f.timestamp];
    values.sign = sign;
    return {
      about: `zjrc app ${app.appId} (its fixture private key)`,
      values,
      request: { method: 'POST', path: '/oip-gateway-server/zjrcuoip/gateway.do', json: { ...fields, [f.sign]: sign } },
    };
  },
};

/** Every key the ZJRC fixture holds, with what a client does with it (`sandbox keys`). */
export function zjrcKeys(fixture: ZjrcFixture): KeyEntry[] {
  const out: KeyEntry[] = [];
  for (const app of fixture.apps) {
    const owner = `app ${app.appId}${app.name ? ` (${app.name})` : ''}`;
    if (app.privateKey)
      out.push(keyEntry('zjrc', owner, 'private', 'sign gateway requests with it (the Java SDK: the app private key, PKCS#8)', app.privateKey));
    out.push(keyEntry('zjrc', owner, 'public', 'the gateway verifies request signatures with it', app.publicKey));
  }
  if (fixture.platformKeys) {
    out.push(keyEntry('zjrc', 'platform', 'public', 'verify response signatures with it (the Java SDK: isSignValid())', fixture.platformKeys.publicKey));
    out.push(keyEntry('zjrc', 'platform', 'private', 'the sandbox signs responses with it; clients never need it', fixture.platformKeys.privateKey));
  }
  return out;
}
