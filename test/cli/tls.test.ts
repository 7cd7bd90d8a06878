import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sandboxEnv, startSandbox } from './support/cli.js';

/** HTTPS, checked by clients that verify the certificate: Node's https with the printed CA, Node with NODE_EXTRA_CA_CERTS, Java with the CA in a copy of cacerts. */

const exec = promisify(execFile);
let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** GET with certificate verification on (the default), trusting `ca` only. */
function verifiedGet(url: string, ca?: string): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    get(url, { ca, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code }));
  });
}

const printed = (output: string) => ({
  path: /^certificate {4}(\S+)$/m.exec(output)![1],
  sha256: (/^SHA-256 {8}(\S+)\n {15}(\S+)$/m.exec(output) ?? []).slice(1).join(':'),
  ca: /^local CA {7}(\S+)$/m.exec(output)?.[1],
});

/** The Java commands the banner prints, as one script: from the line after "trust it" to the java line. */
const javaSteps = (output: string): string => {
  const lines = output.split('\n');
  const from = lines.findIndex((l) => l.startsWith('trust it')) + 1;
  const to = lines.findIndex((l) => l.startsWith('  java -D'));
  return lines.slice(from, to).join('\n');
};

test('--tls: HTTPS with a certificate from the local CA, printed with its fingerprint and how to trust the CA; kept for the next start', async () => {
  const first = await startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env });
  let cert: ReturnType<typeof printed>;
  try {
    expect(first.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    cert = printed(first.output());
    expect(cert.path).toBe(join(dir, 'state', 'oauth-platform-sandbox', 'tls', 'cert.pem'));
    expect(cert.ca).toBe(join(dir, 'state', 'oauth-platform-sandbox', 'ca', 'ca.pem'));
    const pem = readFileSync(cert.path, 'utf8');
    const ca = readFileSync(cert.ca!, 'utf8');
    expect(cert.sha256).toBe(new X509Certificate(pem).fingerprint256);
    expect(new X509Certificate(pem).checkIssued(new X509Certificate(ca))).toBe(true);
    expect(first.output()).toContain('(issued by your local CA, made now)');
    expect(first.output()).toContain('(made now and kept: trust it once, for all it issues)');
    expect(first.output()).toContain(`  keytool -importcert -noprompt -alias oauth-platform-sandbox-ca \\\n      -file ${cert.ca} \\\n`);
    expect(first.output()).toContain(`  NODE_EXTRA_CA_CERTS=${cert.ca} \\\n    node your-app.js\n`);
    expect(first.output()).toContain(`  curl --cacert ${cert.ca} \\\n    ${first.url}/__sandbox/health\n`);

    expect(await verifiedGet(`${first.url}/__sandbox/health`)).toEqual({ error: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const trusted = await verifiedGet(`${first.url}/__sandbox/health`, ca);
    expect({ status: trusted.status, ok: JSON.parse(trusted.body!).status }).toEqual({ status: 200, ok: 'ok' });
    const byName = await verifiedGet(`${first.url.replace('127.0.0.1', 'localhost')}/__sandbox/health`, ca);
    expect(byName.status).toBe(200);
  } finally {
    expect(await first.stop()).toBe(0);
  }
  const second = await startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env });
  try {
    expect(printed(second.output())).toEqual(cert);
    expect(second.output()).toContain('(issued by your local CA, kept from an earlier start)');
    expect(second.output()).toContain('(kept: trust it once, for all it issues)');
  } finally {
    await second.stop();
  }
});

test('trusted the printed ways: NODE_EXTRA_CA_CERTS for Node; for Java the CA in a copy of cacerts, a step that runs again', async () => {
  const sb = await startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env });
  try {
    const { ca } = printed(sb.output());
    const node = await exec(
      process.execPath,
      ['-e', `fetch(process.argv[1]).then((r) => r.json()).then((b) => console.log(b.status))`, `${sb.url}/__sandbox/health`],
      { env: { ...env, NODE_EXTRA_CA_CERTS: ca } },
    );
    expect(node.stdout).toBe('ok\n');

    // Twice: the second run starts from a fresh copy instead of failing with "alias already exists".
    for (let i = 0; i < 2; i++) await exec('bash', ['-e', '-o', 'pipefail', '-c', javaSteps(sb.output())], { cwd: dir });
    writeFileSync(
      join(dir, 'Probe.java'),
      `public class Probe { public static void main(String[] a) throws Exception {
  var client = java.net.http.HttpClient.newHttpClient();
  var res = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(a[0])).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  System.out.println(res.statusCode());
} }
`,
    );
    const java = await exec(
      'java',
      ['-Djavax.net.ssl.trustStore=sandbox-cacerts', '-Djavax.net.ssl.trustStorePassword=changeit', 'Probe.java', `${sb.url}/__sandbox/health`],
      { cwd: dir, timeout: 60_000 },
    );
    expect(java.stdout).toBe('200\n');
    // Without the trust store, Java refuses the same certificate.
    await expect(exec('java', ['Probe.java', `${sb.url}/__sandbox/health`], { cwd: dir, timeout: 60_000 })).rejects.toMatchObject({
      stderr: expect.stringContaining('PKIX path building failed'),
    });
  } finally {
    await sb.stop();
  }
}, 120_000);

test('--https-port serves HTTPS beside HTTP; --tls-cert/--tls-key serve your own certificate', async () => {
  const first = await startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env });
  const { path, ca } = printed(first.output());
  await first.stop();
  // "Your own" certificate: the kept one, copied, given as files.
  writeFileSync(join(dir, 'own.pem'), readFileSync(path));
  writeFileSync(join(dir, 'own-key.pem'), readFileSync(join(path, '..', 'key.pem')));
  const sb = await startSandbox(['--port', '0', '--https-port', '0', '--tls-cert', 'own.pem', '--tls-key', 'own-key.pem', '--quiet'], { cwd: dir, env });
  try {
    expect(sb.url).toMatch(/^http:\/\//);
    const https = /^HTTPS {10}(https:\/\/\S+)$/m.exec(sb.output())![1];
    expect((await fetch(`${sb.url}/__sandbox/health`)).status).toBe(200);
    expect((await verifiedGet(`${https}/__sandbox/health`, readFileSync(ca!, 'utf8'))).status).toBe(200);
    expect(sb.output()).toContain(`certificate    ${join(dir, 'own.pem')}\n               (yours)\n`);
    expect(sb.output()).not.toContain('local CA');
  } finally {
    expect(await sb.stop()).toBe(0);
  }
});
