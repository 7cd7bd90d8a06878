import { createHash, createHmac, createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';

/** Hash helpers every platform signs with. Inputs are UTF-8. */
export const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
export const sha1Hex = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex');
export const hmacSha1 = (data: string, key: string, encoding: 'hex' | 'base64'): string => createHmac('sha1', key).update(data, 'utf8').digest(encoding);

/** Constant-time comparison for signatures and secrets of equal length. */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

// ---- RSA (SHA256withRSA / SHA1withRSA, Base64 signatures) and key parsing -------------------------------

export type RsaHash = 'sha256' | 'sha1';

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----/;

/** Bare Base64 as Chinese platforms hand keys out: one line, or folded, without PEM armour. */
function bareDer(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/**
 * An RSA private key from PEM (PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY") or bare Base64 DER
 * (PKCS#8 first, as Java tools emit it, then PKCS#1). Throws a message fit for a fixture error.
 */
export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (PEM_RE.test(trimmed)) return createPrivateKey({ key: trimmed, format: 'pem' });
  const der = bareDer(trimmed);
  if (!der) throw new Error('expected a PEM private key or bare Base64 (PKCS#8 or PKCS#1 DER)');
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  throw new Error('the Base64 text is not a PKCS#8 or PKCS#1 private key');
}

/**
 * An RSA public key from PEM ("PUBLIC KEY", "RSA PUBLIC KEY" or a "CERTIFICATE") or bare Base64 DER
 * (X.509 SubjectPublicKeyInfo first, then PKCS#1).
 */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (PEM_RE.test(trimmed)) return createPublicKey({ key: trimmed, format: 'pem' });
  const der = bareDer(trimmed);
  if (!der) throw new Error('expected a PEM public key or bare Base64 (X.509 SubjectPublicKeyInfo or PKCS#1 DER)');
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      return createPublicKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  throw new Error('the Base64 text is not an X.509 (SPKI) or PKCS#1 public key');
}

// Client-side helpers take key text, and parsing costs about as much as the signature itself: each distinct
// text is parsed once. Bounded, since a caller may pass many keys; private and public apart, since one PEM text
// may be read as either.
const parsedPrivate = new Map<string, KeyObject>();
const parsedPublic = new Map<string, KeyObject>();
function parsedOnce(cache: Map<string, KeyObject>, text: string, parse: (t: string) => KeyObject): KeyObject {
  let key = cache.get(text);
  if (!key) {
    if (cache.size >= 32) cache.clear();
    cache.set(text, (key = parse(text)));
  }
  return key;
}

/** A private key given as a KeyObject or as text (PEM or bare Base64), parsed once per text. */
export const privateKeyOf = (key: KeyObject | string): KeyObject => (typeof key === 'string' ? parsedOnce(parsedPrivate, key, parsePrivateKey) : key);

/** A public key given as a KeyObject or as text (PEM or bare Base64), parsed once per text. */
export const publicKeyOf = (key: KeyObject | string): KeyObject => (typeof key === 'string' ? parsedOnce(parsedPublic, key, parsePublicKey) : key);

/** Bare Base64 DER of a key: PKCS#8 for private keys, SPKI for public ones (what SOP and Alipay tools print). */
export function keyToBase64(key: KeyObject): string {
  const der = key.type === 'private' ? key.export({ format: 'der', type: 'pkcs8' }) : key.export({ format: 'der', type: 'spki' });
  return der.toString('base64');
}

export function keyToPem(key: KeyObject): string {
  const pem = key.type === 'private' ? key.export({ format: 'pem', type: 'pkcs8' }) : key.export({ format: 'pem', type: 'spki' });
  return pem.toString();
}

/** Base64 RSA PKCS#1 v1.5 signature of the UTF-8 text. */
export function rsaSign(text: string, key: KeyObject, hash: RsaHash): string {
  return cryptoSign(hash, Buffer.from(text, 'utf8'), key).toString('base64');
}

/** Verify a Base64 RSA signature; any malformed input is simply "does not verify", never a throw. */
export function rsaVerify(text: string, signatureBase64: string, key: KeyObject, hash: RsaHash): boolean {
  try {
    return cryptoVerify(hash, Buffer.from(text, 'utf8'), key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
