import { keyToBase64, keyToPem, parsePrivateKey, parsePublicKey } from '../../core/crypto.js';
import type { SopFixture } from './fixture.js';

/** One key as `sandbox keys` shows it. */
export interface KeyEntry {
  platform: string;
  owner: string;
  kind: 'private' | 'public';
  usage: string;
  base64: string;
  pem: string;
}

function entry(owner: string, kind: 'private' | 'public', usage: string, text: string): KeyEntry {
  const key = kind === 'private' ? parsePrivateKey(text) : parsePublicKey(text);
  return { platform: 'sop', owner, kind, usage, base64: keyToBase64(key), pem: keyToPem(key) };
}

/** Every key the SOP fixture holds, with what a client does with it. */
export function sopKeyEntries(fixture: SopFixture): KeyEntry[] {
  const out: KeyEntry[] = [];
  for (const app of fixture.apps) {
    const owner = `app ${app.appId}${app.name ? ` (${app.name})` : ''}`;
    if (app.privateKey) out.push(entry(owner, 'private', "sign gateway requests with it (alipay-sdk: privateKey, keyType 'PKCS8')", app.privateKey));
    if (app.publicKey) out.push(entry(owner, 'public', 'the gateway verifies request signatures with it', app.publicKey));
  }
  if (fixture.platformKeys) {
    out.push(entry('platform', 'public', 'verify response signatures with it (alipay-sdk: alipayPublicKey)', fixture.platformKeys.publicKey));
    out.push(entry('platform', 'private', 'the sandbox signs responses with it; clients never need it', fixture.platformKeys.privateKey));
  }
  return out;
}
