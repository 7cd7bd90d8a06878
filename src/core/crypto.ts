import { createHash, createHmac } from 'node:crypto';

/** Hash helpers every platform signs with. Inputs are UTF-8. */
export const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
export const sha1Hex = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex');
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
export const hmacSha1 = (data: string, key: string, encoding: 'hex' | 'base64'): string =>
  createHmac('sha1', key).update(data, 'utf8').digest(encoding);

/** Constant-time comparison for signatures and secrets of equal length. */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
