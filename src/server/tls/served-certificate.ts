import { createSecureContext } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors/usage-error.js';
import { certificateNames, requestedNames, type NameSources } from './certificate-names.js';
import { keptCertificate } from './kept-certificate.js';
import { certificateHome } from './kept-folder.js';

export interface ServedCertificate {
  /** What is served: the certificate, then the CA that issued it (when the sandbox made it). */
  cert: string;
  key: string;
  /** Absolute path of the certificate file. */
  certPath: string;
  /** "AB:CD:…", as keytool -printcert and browsers show it. */
  sha256: string;
  /** The names it covers, when the sandbox made it. */
  names?: string[];
  /** The sandbox's local CA that issued it; absent for your own certificate. */
  ca?: { certPath: string; sha256: string; made: boolean };
  /** The certificate was made by this start (not found kept). */
  made: boolean;
  /** Why the kept certificate was made again. */
  replaced?: string;
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

/** The user's own certificate and key (--tls-cert/--tls-key), checked to be a usable pair that covers every --tls-name. */
export function ownCertificate(certFile: string, keyFile: string, tlsNames: readonly string[] = []): ServedCertificate {
  const cert = readFileSync(certFile, 'utf8');
  const key = readFileSync(keyFile, 'utf8');
  const sha256 = check(cert, key, `--tls-cert ${certFile} / --tls-key ${keyFile}`);
  const x509 = new X509Certificate(cert);
  const missing = requestedNames(tlsNames).filter((n) => (isIP(n) ? !x509.checkIP(n) : !x509.checkHost(n.replace(/^\*\./, 'any.'))));
  if (missing.length)
    throw new UsageError(
      `--tls-cert ${certFile} does not cover --tls-name ${missing.join(', ')} (it names ${x509.subjectAltName ?? x509.subject}); give a certificate that does, or leave out --tls-cert for one issued by the sandbox's local CA`,
    );
  return { cert, key, certPath: resolve(certFile), sha256, made: false };
}

/** The certificate the local CA issued for every name the sandbox may be reached by (made, or made again, when needed). */
export async function issuedCertificate(sources: NameSources, home = certificateHome()): Promise<ServedCertificate> {
  const names = certificateNames({ ...sources, tlsNames: requestedNames(sources.tlsNames ?? []) });
  let kept: Awaited<ReturnType<typeof keptCertificate>>;
  try {
    kept = await keptCertificate(names, home);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!err.code) throw e;
    // A file system refusal names the path but not what to do about it.
    throw new Error(
      `cannot keep the local CA and certificate in ${home} (${err.code}: ${err.message.replace(/^\w+: /, '')}); set XDG_STATE_HOME to a folder you can write, or give your own --tls-cert and --tls-key`,
    );
  }
  const chain = `${kept.cert.trimEnd()}\n${kept.ca.cert.trimEnd()}\n`;
  const sha256 = check(chain, kept.key, `the kept certificate ${kept.certPath}`);
  return {
    cert: chain,
    key: kept.key,
    certPath: kept.certPath,
    sha256,
    names: kept.names,
    ca: { certPath: kept.ca.certPath, sha256: kept.ca.x509.fingerprint256, made: kept.ca.made },
    made: kept.made,
    replaced: kept.replaced,
  };
}
