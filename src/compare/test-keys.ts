import { generateKeyPairSync } from 'node:crypto';

/** A recording never holds an app's private key: the replaying sandbox's apps get this pair instead. */
export interface TestKeys {
  publicKey: string;
  privateKey: string;
}

let keys: TestKeys | undefined;

/** The test app key pair (Base64 DER, as SOP and ZJRC tools print keys), made once per process. */
export function testKeys(): TestKeys {
  keys ??= (() => {
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    });
    return { publicKey: pair.publicKey.toString('base64'), privateKey: pair.privateKey.toString('base64') };
  })();
  return keys;
}
