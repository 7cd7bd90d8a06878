import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { publishFolder } from './kept-folder.js';

const DAY_MS = 24 * 3600 * 1000;
/** Long, because every trust store that holds it would have to be updated when it changes. */
const CA_VALID_DAYS = 3650;
/** Made again this long before it expires, so what it issues never outlives it by surprise. */
const RENEW_BEFORE_MS = 30 * DAY_MS;

export interface LocalCa {
  certPath: string;
  cert: string;
  key: string;
  x509: X509Certificate;
  /** True when this start made it (first use, or the kept one was unreadable or about to expire). */
  made: boolean;
}

/**
 * The key type of the CA and of what it issues (selfsigned signs with a CA key of the issued certificate's
 * type): ECDSA P-256, which every TLS client of the last decade accepts (Java 7 on) and which takes
 * milliseconds to make where an RSA 2048 key took 0.4 to 1.5 s each on a busy two-core machine.
 */
export const KEY = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;

function owner(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return hostname();
  }
}

function usable(dir: string, now: number): Omit<LocalCa, 'made'> | undefined {
  try {
    const cert = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const key = readFileSync(join(dir, 'ca-key.pem'), 'utf8');
    const x509 = new X509Certificate(cert);
    if (!x509.ca || Date.parse(x509.validTo) - now < RENEW_BEFORE_MS) return undefined;
    return { certPath: join(dir, 'ca.pem'), cert, key, x509 };
  } catch {
    return undefined;
  }
}

async function generate(now: number): Promise<{ cert: string; key: string }> {
  const { generate: make } = await import('selfsigned');
  // The user and machine in its name tell one team member's CA from another's in a shared trust store.
  const pems = await make([{ name: 'commonName', value: `OAuth platform sandbox local CA (${owner()})` }], {
    ...KEY,
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + CA_VALID_DAYS * DAY_MS),
    extensions: [
      // pathLen 0: it issues server certificates, never another CA.
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * The user's local CA: made on first use and kept in `home`/ca, so a team member trusts it once for every
 * sandbox, replica and regenerated certificate. Two starts at once may both make one; the first to publish
 * it is the one both use.
 */
export async function localCa(home: string, now = Date.now()): Promise<LocalCa> {
  const dir = join(home, 'ca');
  const kept = usable(dir, now);
  if (kept) return { ...kept, made: false };
  const pems = await generate(now);
  const files = { 'ca.pem': { text: pems.cert }, 'ca-key.pem': { text: pems.key, secret: true } };
  if (publishFolder(home, dir, files, now, () => usable(dir, now) === undefined))
    return { certPath: join(dir, 'ca.pem'), ...pems, x509: new X509Certificate(pems.cert), made: true };
  // Two starts made one at once: the one published is the CA of both.
  const theirs = usable(dir, now);
  if (!theirs) throw new Error(`cannot keep the sandbox's local CA in ${dir}`);
  return { ...theirs, made: false };
}
