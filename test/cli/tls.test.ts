import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sandboxEnv, startSandbox } from './support/cli.js';

/** HTTPS, checked by clients that verify the certificate: Node's https with the printed file, Node with NODE_EXTRA_CA_CERTS, Java with keytool. */

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
});

test('--tls: HTTPS with a self-signed certificate, printed with its fingerprint and how to trust it; kept for the next start', async () => {
  const first = await startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env });
  let cert: { path: string; sha256: string };
  try {
    expect(first.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    cert = printed(first.output());
    expect(cert.path).toBe(join(dir, 'state', 'oauth-platform-sandbox', 'tls', 'cert.pem'));
    const pem = readFileSync(cert.path, 'utf8');
    expect(cert.sha256).toBe(new X509Certificate(pem).fingerprint256);
    expect(first.output()).toContain('(self-signed, made now and kept)');
    expect(first.output()).toContain(`  keytool -importcert -noprompt -alias oauth-platform-sandbox \\\n    -file ${cert.path} \\\n`);
    expect(first.output()).toContain(`  NODE_EXTRA_CA_CERTS=${cert.path} \\\n    node your-app.js\n`);

    expect(await verifiedGet(`${first.url}/__sandbox/health`)).toEqual({ error: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const trusted = await verifiedGet(`${first.url}/__sandbox/health`, pem);
    expect({ status: trusted.status, ok: JSON.parse(trusted.body!).status }).toEqual({ status: 200, ok: 'ok' });
    const byName = await verifiedGet(`${first.url.replace('127.0.0.1', 'localhost')}/__sandbox/health`, pem);
    expect(byName.status).toBe(200);
  } finally {
    expect(await first.stop()).toBe(0);
  }
  const second = await startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env });
  try {
    expect(printed(second.output())).toEqual(cert);
    expect(second.output()).toContain('(self-signed, kept from an earlier start)');
  } finally {
    await second.stop();
  }
});

test('trusted the printed ways: NODE_EXTRA_CA_CERTS for Node, keytool and a trust store for Java', async () => {
  const sb = await startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env });
  try {
    const { path } = printed(sb.output());
    const node = await exec(
      process.execPath,
      ['-e', `fetch(process.argv[1]).then((r) => r.json()).then((b) => console.log(b.status))`, `${sb.url}/__sandbox/health`],
      { env: { ...env, NODE_EXTRA_CA_CERTS: path } },
    );
    expect(node.stdout).toBe('ok\n');

    await exec(
      'keytool',
      ['-importcert', '-noprompt', '-alias', 'oauth-platform-sandbox', '-file', path, '-keystore', 'sandbox-truststore.p12', '-storepass', 'changeit'],
      { cwd: dir },
    );
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
      ['-Djavax.net.ssl.trustStore=sandbox-truststore.p12', '-Djavax.net.ssl.trustStorePassword=changeit', 'Probe.java', `${sb.url}/__sandbox/health`],
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
  const { path } = printed(first.output());
  await first.stop();
  // "Your own" certificate: the kept one, copied, given as files.
  writeFileSync(join(dir, 'own.pem'), readFileSync(path));
  writeFileSync(join(dir, 'own-key.pem'), readFileSync(join(path, '..', 'key.pem')));
  const sb = await startSandbox(['--port', '0', '--https-port', '0', '--tls-cert', 'own.pem', '--tls-key', 'own-key.pem', '--quiet'], { cwd: dir, env });
  try {
    expect(sb.url).toMatch(/^http:\/\//);
    const https = /^HTTPS {10}(https:\/\/\S+)$/m.exec(sb.output())![1];
    expect((await fetch(`${sb.url}/__sandbox/health`)).status).toBe(200);
    expect((await verifiedGet(`${https}/__sandbox/health`, readFileSync(join(dir, 'own.pem'), 'utf8'))).status).toBe(200);
    expect(sb.output()).toContain('(yours)');
  } finally {
    expect(await sb.stop()).toBe(0);
  }
});
