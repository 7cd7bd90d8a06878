import { createSecureContext } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors/usage-error.js';
import { keptCertificate } from './self-signed.js';

export interface ServedCertificate {
  cert: string;
  key: string;
  /** Absolute path of the certificate file: what a client is told to trust. */
  certPath: string;
  /** "AB:CD:…", as keytool -printcert and browsers show it. */
  sha256: string;
  selfSigned: boolean;
  /** The self-signed one was made by this start (not found kept). */
  made: boolean;
}

function check(cert: string, key: string, what: string): string {
  try {
    createSecureContext({ cert, key });
    return new X509Certificate(cert).fingerprint256;
  } catch (e) {
    const why = (e as Error).message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/i, '');
    throw new UsageError(`${what}: cannot serve HTTPS with them (${why}); give a PEM certificate and its private key`);
  }
}

/** The user's own certificate and key (--tls-cert/--tls-key), checked to be a usable pair. */
export function ownCertificate(certFile: string, keyFile: string): ServedCertificate {
  const cert = readFileSync(certFile, 'utf8');
  const key = readFileSync(keyFile, 'utf8');
  const sha256 = check(cert, key, `--tls-cert ${certFile} / --tls-key ${keyFile}`);
  return { cert, key, certPath: resolve(certFile), sha256, selfSigned: false, made: false };
}

export async function selfSignedCertificate(host: string): Promise<ServedCertificate> {
  const kept = await keptCertificate(host);
  const sha256 = check(kept.cert, kept.key, `the kept certificate ${kept.certPath}`);
  return { cert: kept.cert, key: kept.key, certPath: kept.certPath, sha256, selfSigned: true, made: kept.made };
}
