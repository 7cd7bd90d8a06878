/** RSA helpers shared by the signed-gateway cases (client signing and the bare baselines). */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

/** A key from PEM or bare Base64 DER (PKCS#8 / SPKI), as the fixtures hold them. */
export function privateKeyOf(text) {
  return text.includes('-----BEGIN') ? createPrivateKey(text) : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
}

export function publicKeyOf(text) {
  return text.includes('-----BEGIN') ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
}

/** SHA256withRSA, Base64. */
export const rsa2Sign = (text, key) => sign('sha256', Buffer.from(text, 'utf8'), key).toString('base64');
export const rsa2Verify = (text, signature, key) => verify('sha256', Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));

/** `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai. */
export function shanghaiTime(ms) {
  return new Date(ms + 480 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function parseShanghaiTime(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text ?? '');
  return m ? Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - 480 * 60_000 : NaN;
}

/** Sorted `k=v&k=v` over the fields except `sign` (empty values kept or dropped). */
export function signContent(fields, keepEmpty) {
  let text = '';
  for (const k of Object.keys(fields).sort()) {
    if (k === 'sign') continue;
    const v = fields[k];
    if (v === undefined || (!keepEmpty && v === '')) continue;
    text += `${text ? '&' : ''}${k}=${v}`;
  }
  return text;
}
