import type { KeyObject } from 'node:crypto';
import { parsePrivateKey, parsePublicKey, privateKeyOf, publicKeyOf, rsaSign as coreSign, rsaVerify as coreVerify, type RsaHash } from '../../core/crypto.js';

/** ZJRC's signType names over the core RSA helpers; keys may be given as text (PEM or bare Base64). */
export type RsaSignType = 'RSA2' | 'RSA';

const HASH: Record<RsaSignType, RsaHash> = { RSA2: 'sha256', RSA: 'sha1' };

export { parsePrivateKey, parsePublicKey };

export function isRsaSignType(value: string): value is RsaSignType {
  return value === 'RSA2' || value === 'RSA';
}

/** Base64 signature of the UTF-8 text. */
export function rsaSign(content: string, key: KeyObject | string, signType: RsaSignType = 'RSA2'): string {
  return coreSign(content, privateKeyOf(key), HASH[signType]);
}

/** Does the Base64 signature verify? Malformed input, keys included, is simply "no". */
export function rsaVerify(content: string, signature: string, key: KeyObject | string, signType: RsaSignType = 'RSA2'): boolean {
  try {
    return coreVerify(content, signature, publicKeyOf(key), HASH[signType]);
  } catch {
    return false;
  }
}
