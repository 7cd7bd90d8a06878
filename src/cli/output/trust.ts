import { PLAIN, type Palette } from './colour.js';
import type { ServedCertificate } from '../../server/tls/served-certificate.js';

/** The banner's label column (banner.ts lays out the rest of the banner on it). */
const LABEL = 15;
const WIDTH = 80;
const row = (p: Palette, label: string, value: string): string => `${p.label(label.padEnd(LABEL))}${value}`;
const more = (value: string): string => `${' '.repeat(LABEL)}${value}`;

/** Colon-hex SHA-256 (95 characters) on two lines of 16 bytes. */
const fingerprint = (p: Palette, label: string, sha256: string): string[] => [row(p, label, sha256.slice(0, 47)), more(sha256.slice(48))];

/** "names: a, b, c" wrapped to the banner's width under the label column. */
function nameLines(names: readonly string[]): string[] {
  const lines: string[] = [];
  let line = 'names:';
  for (const [i, n] of names.entries()) {
    const item = ` ${n}${i < names.length - 1 ? ',' : ''}`;
    if (LABEL + line.length + item.length > WIDTH && line !== 'names:') {
      lines.push(more(line));
      line = ' ';
    }
    line += item;
  }
  return [...lines, more(line)];
}

/**
 * The Java trust step: the CA added to a fresh copy of the JVM's own cacerts, so the app still trusts the
 * real HTTPS services it calls (a one-entry trust store replaces them all), and running it again starts
 * from a fresh copy instead of failing with "alias already exists".
 */
export function javaTrustCommands(caPath: string): string[] {
  return [
    `cp "$(java -XshowSettings:properties -version 2>&1 \\`,
    `    | sed -n 's/^ *java.home = //p')/lib/security/cacerts" sandbox-cacerts`,
    'keytool -importcert -noprompt -alias oauth-platform-sandbox-ca \\',
    `    -file ${caPath} \\`,
    '    -keystore sandbox-cacerts -storepass changeit',
    'java -Djavax.net.ssl.trustStore=sandbox-cacerts \\',
    '    -Djavax.net.ssl.trustStorePassword=changeit ...',
  ];
}

/** The certificate served, the CA that issued it, and how to make Java, Node and curl trust that CA, as commands to copy. */
export function trustLines(cert: ServedCertificate, p: Palette = PLAIN, url?: string): string[] {
  const lines = [row(p, 'certificate', cert.certPath)];
  if (!cert.ca) return [...lines, more('(yours)'), ...fingerprint(p, 'SHA-256', cert.sha256)];
  lines.push(more(`(issued by your local CA, ${cert.made ? 'made now' : 'kept from an earlier start'})`));
  // Said where the new fingerprint is shown: a client that pinned the old certificate must be told why it changed.
  if (cert.replaced) lines.push(more(`(${cert.replaced})`));
  lines.push(...nameLines(cert.names ?? []), ...fingerprint(p, 'SHA-256', cert.sha256));
  const ca = cert.ca.certPath;
  lines.push(
    row(p, 'local CA', ca),
    more(`(${cert.ca.made ? 'made now and kept' : 'kept'}: trust it once, for all it issues)`),
    ...fingerprint(p, 'CA SHA-256', cert.ca.sha256),
    row(p, 'trust it', "from Java, add the CA to a copy of the JVM's cacerts:"),
    ...javaTrustCommands(ca).map((l) => `  ${l}`),
    more('from Node, add it to the trusted certificates:'),
    `  NODE_EXTRA_CA_CERTS=${ca} \\`,
    '    node your-app.js',
    more('from curl:'),
    `  curl --cacert ${ca} \\`,
    `    ${url ? `${url}/__sandbox/health` : 'https://…'}`,
  );
  return lines;
}

/** The same for machines: the ready line's "tls" field (JSON log format, start --detach). */
export function tlsFields(cert: ServedCertificate) {
  return {
    certificate: cert.certPath,
    sha256: cert.sha256,
    names: cert.names,
    made: cert.made,
    replaced: cert.replaced,
    ca: cert.ca && { certificate: cert.ca.certPath, sha256: cert.ca.sha256, made: cert.ca.made },
  };
}
