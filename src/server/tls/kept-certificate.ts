import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { publishFolder } from './kept-folder.js';
import { KEY, localCa, type LocalCa } from './local-ca.js';

const DAY_MS = 24 * 3600 * 1000;
/** A certificate is made again this long before it expires, so a kept one never lapses mid-run. */
const RENEW_BEFORE_MS = 30 * DAY_MS;
const VALID_DAYS = 397;
/** Names asked by earlier starts are kept in a new certificate up to this many, so that projects asking for different names do not take turns remaking it. */
const MAX_NAMES = 100;

export interface KeptCertificate {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
  /** The names it covers (its subject alternative names). */
  names: string[];
  /** True when this start made it. */
  made: boolean;
  /** Why the kept one was made again, when there was one: the names it lacked, its expiry, or a new CA. */
  replaced?: string;
  ca: LocalCa;
}

/** An IP as one spelling (a certificate lists ::1 as 0:0:0:0:0:0:0:1), a DNS name as it is. */
const canonical = (name: string): string => (isIP(name) === 6 ? new URL(`http://[${name}]/`).hostname.slice(1, -1) : name);

function sanNames(x509: X509Certificate): string[] {
  return (x509.subjectAltName ?? '')
    .split(', ')
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry)?.[1])
    .filter((n): n is string => n !== undefined)
    .map((n) => canonical(n.toLowerCase()));
}

function covers(x509: X509Certificate, names: readonly string[]): string[] {
  const listed = sanNames(x509);
  // checkHost matches a wildcard in the certificate; a wildcard asked for must be listed as such.
  return names.filter((n) => !(n.startsWith('*.') ? listed.includes(n) : isIP(n) ? x509.checkIP(n) !== undefined : x509.checkHost(n) !== undefined));
}

interface Found {
  pems?: { cert: string; key: string; x509: X509Certificate };
  /** Why it cannot be used as it is; undefined when it can. */
  problem?: string;
}

function inspect(dir: string, names: readonly string[], ca: LocalCa, now: number): Found {
  let pems: Found['pems'];
  try {
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    pems = { cert, key: readFileSync(join(dir, 'key.pem'), 'utf8'), x509: new X509Certificate(cert) };
  } catch {
    return { problem: 'none was kept' };
  }
  const { x509 } = pems;
  if (!x509.checkIssued(ca.x509) || !x509.verify(ca.x509.publicKey)) return { pems, problem: 'the kept one was not issued by the local CA' };
  if (Date.parse(x509.validTo) - now < RENEW_BEFORE_MS) return { pems, problem: `the kept one expires ${x509.validTo}` };
  const missing = covers(x509, names);
  if (missing.length) return { pems, problem: `the kept one did not cover ${missing.join(', ')}` };
  return { pems };
}

async function issue(names: readonly string[], ca: LocalCa, now: number): Promise<{ cert: string; key: string }> {
  // selfsigned builds the X.509 structure with @peculiar/x509 over WebCrypto: no hand-made ASN.1 here.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'OAuth platform sandbox' }], {
    ...KEY,
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(Math.min(now + VALID_DAYS * DAY_MS, Date.parse(ca.x509.validTo))),
    ca: { cert: ca.cert, key: ca.key },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      // An ECDSA key signs the handshake; it encrypts nothing (keyEncipherment is for RSA key exchange).
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * The server certificate for `names`, issued by the user's local CA (local-ca.ts) and kept in `home`/tls,
 * so that a client that trusts the CA once trusts every certificate made later. Made again when it would
 * expire within 30 days, was not issued by the CA, or does not cover every name asked; the new one also
 * covers the names the old one did.
 */
export async function keptCertificate(names: readonly string[], home: string, now = Date.now()): Promise<KeptCertificate> {
  const ca = await localCa(home, now);
  const dir = join(home, 'tls');
  const result = (pems: { cert: string; key: string }, made: boolean, replaced?: string): KeptCertificate => ({
    certPath: join(dir, 'cert.pem'),
    keyPath: join(dir, 'key.pem'),
    cert: pems.cert,
    key: pems.key,
    names: sanNames(new X509Certificate(pems.cert)),
    made,
    replaced,
    ca,
  });

  const found = inspect(dir, names, ca, now);
  if (!found.problem) return result(found.pems!, false);
  const before = found.pems && found.problem.startsWith('the kept one did not cover') ? sanNames(found.pems.x509) : [];
  const wanted = [...new Set([...names.map(canonical), ...before])];
  const pems = await issue(wanted.length <= MAX_NAMES ? wanted : names, ca, now);
  const replaced = found.pems ? found.problem : undefined;
  const files = { 'cert.pem': { text: pems.cert }, 'key.pem': { text: pems.key, secret: true } };
  if (publishFolder(home, dir, files, now, () => inspect(dir, names, ca, now).problem !== undefined)) return result(pems, true, replaced);
  // Another start published first: theirs serves when it covers our names too.
  const theirs = inspect(dir, names, ca, now);
  if (theirs.problem) throw new Error(`cannot keep the certificate in ${dir}: another sandbox replaced it at the same time (${theirs.problem}); start again`);
  return result(theirs.pems!, false);
}
