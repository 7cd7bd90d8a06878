import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

/**
 * RSA helpers for the ZJRC gateway. Kept inside the platform until a shared RSA module exists in
 * src/core/crypto.ts; nothing here is ZJRC-specific beyond the signType names.
 */
export type RsaSignType = 'RSA2' | 'RSA';

export const RSA_SIGN_TYPES: readonly RsaSignType[] = ['RSA2', 'RSA'];

const DIGEST: Record<RsaSignType, string> = { RSA2: 'RSA-SHA256', RSA: 'RSA-SHA1' };

export function isRsaSignType(value: string): value is RsaSignType {
  return value === 'RSA2' || value === 'RSA';
}

/** The key text without PEM armour or whitespace, as Java configs hold it. */
function bareBase64(text: string): string {
  return text.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '');
}

/**
 * A private key from PEM (PKCS#8 or PKCS#1) or from bare Base64 DER (PKCS#8 as the Java SDK wants,
 * or PKCS#1). Throws an Error saying which forms were tried.
 */
export function parsePrivateKey(text: string): KeyObject {
  if (text.includes('-----BEGIN')) return createPrivateKey({ key: text, format: 'pem' });
  const der = Buffer.from(bareBase64(text), 'base64');
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    try {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
    } catch {
      throw new Error('not an RSA private key: expected PEM, or Base64 DER in PKCS#8 or PKCS#1 form');
    }
  }
}

/** A public key from PEM (SPKI or PKCS#1) or from bare Base64 DER (X.509 SPKI, or PKCS#1). */
export function parsePublicKey(text: string): KeyObject {
  if (text.includes('-----BEGIN')) return createPublicKey({ key: text, format: 'pem' });
  const der = Buffer.from(bareBase64(text), 'base64');
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    try {
      return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    } catch {
      throw new Error('not an RSA public key: expected PEM, or Base64 DER in X.509 (SPKI) or PKCS#1 form');
    }
  }
}

/** Base64 signature of the UTF-8 text. */
export function rsaSign(content: string, key: KeyObject | string, signType: RsaSignType = 'RSA2'): string {
  const k = typeof key === 'string' ? parsePrivateKey(key) : key;
  return createSign(DIGEST[signType]).update(content, 'utf8').sign(k, 'base64');
}

/** Does the Base64 signature verify? Malformed input is simply "no". */
export function rsaVerify(content: string, signature: string, key: KeyObject | string, signType: RsaSignType = 'RSA2'): boolean {
  try {
    const k = typeof key === 'string' ? parsePublicKey(key) : key;
    return createVerify(DIGEST[signType]).update(content, 'utf8').verify(k, signature, 'base64');
  } catch {
    return false;
  }
}
