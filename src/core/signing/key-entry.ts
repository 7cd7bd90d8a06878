import { keyToBase64, keyToPem, parsePrivateKey, parsePublicKey } from '../crypto.js';

/** One key as `sandbox keys` shows it. */
export interface KeyEntry {
  platform: string;
  owner: string;
  kind: 'private' | 'public';
  usage: string;
  base64: string;
  pem: string;
}

/** A fixture key (PEM or bare Base64) in both forms a client configuration may want. */
export function keyEntry(platform: string, owner: string, kind: 'private' | 'public', usage: string, text: string): KeyEntry {
  const key = kind === 'private' ? parsePrivateKey(text) : parsePublicKey(text);
  return { platform, owner, kind, usage, base64: keyToBase64(key), pem: keyToPem(key) };
}
