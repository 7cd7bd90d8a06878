import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, homedir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';

/** A certificate is made again this long before it expires, so a kept one never lapses mid-run. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
const VALID_DAYS = 397;

export interface KeptCertificate {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
  /** True when this start made it (first use, a new name, or the old one was about to expire). */
  made: boolean;
}

/** Where the self-signed certificate is kept: per user, so one trust-store entry serves every project. */
export function certificateHome(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'oauth-platform-sandbox');
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

/** Names a client may use to reach a sandbox bound to `host`: loopback always, the machine's name, and the host itself. */
export function certificateNames(host: string): string[] {
  const names = ['localhost', '127.0.0.1', '::1', hostname().toLowerCase()];
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (!WILDCARD.has(h) && !names.includes(h)) names.push(h);
  return names;
}

function covers(cert: X509Certificate, names: readonly string[]): boolean {
  return names.every((n) => (isIP(n) ? cert.checkIP(n) !== undefined : cert.checkHost(n) !== undefined));
}

function usable(dir: string, names: readonly string[], now: number): { cert: string; key: string } | undefined {
  try {
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const key = readFileSync(join(dir, 'key.pem'), 'utf8');
    const x509 = new X509Certificate(cert);
    if (Date.parse(x509.validTo) - now < RENEW_BEFORE_MS || !covers(x509, names)) return undefined;
    return { cert, key };
  } catch {
    return undefined;
  }
}

async function generate(names: readonly string[], now: number): Promise<{ cert: string; key: string }> {
  // selfsigned builds the X.509 structure with @peculiar/x509 over WebCrypto: no hand-made ASN.1 here.
  const { generate: make } = await import('selfsigned');
  const notBeforeDate = new Date(now - 60_000);
  const pems = await make([{ name: 'commonName', value: 'OAuth platform sandbox test certificate' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(now + VALID_DAYS * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * The self-signed certificate for `host`, made on first use and kept, so a client trusts it once. Made
 * again only when it would expire within 30 days or does not name the host. Two sandboxes starting at
 * once both make one, and the first to publish its folder (an atomic rename) is the one both use.
 */
export async function keptCertificate(host: string, home = certificateHome(), now = Date.now()): Promise<KeptCertificate> {
  const names = certificateNames(host);
  const extra = names.slice(4);
  const dir = join(home, extra.length ? `tls-${extra[0].replace(/[^a-z0-9.-]/g, '_')}` : 'tls');
  const result = (made: boolean, pems: { cert: string; key: string }): KeptCertificate => ({
    certPath: join(dir, 'cert.pem'),
    keyPath: join(dir, 'key.pem'),
    ...pems,
    made,
  });

  const kept = usable(dir, names, now);
  if (kept) return result(false, kept);

  const pems = await generate(names, now);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const fresh = join(home, `.tls-new-${process.pid}-${now}`);
  mkdirSync(fresh, { mode: 0o700 });
  writeFileSync(join(fresh, 'cert.pem'), pems.cert);
  writeFileSync(join(fresh, 'key.pem'), pems.key, { mode: 0o600 });
  if (existsSync(dir)) {
    // Expired or for other names: set aside (not deleted at once: another sandbox may be reading it).
    try {
      renameSync(dir, `${dir}.old-${process.pid}-${now}`);
    } catch {
      // Another start set it aside first.
    }
  }
  try {
    renameSync(fresh, dir);
    return result(true, pems);
  } catch {
    rmSync(fresh, { recursive: true, force: true });
    const theirs = usable(dir, names, now);
    if (!theirs) throw new Error(`cannot keep the self-signed certificate in ${dir}`);
    return result(false, theirs);
  }
}
