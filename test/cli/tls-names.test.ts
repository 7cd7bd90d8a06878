import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import type { LookupFunction } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { certificateNames, requestedNames } from '../../src/server/tls/certificate-names.js';
import { cli, sandboxEnv, startSandbox } from './support/cli.js';

/**
 * The names in the --tls certificate (--tls-name, --allowed-hosts, --host), the local CA that issues it and
 * is kept, and the kept certificate made again, with its new fingerprint, when it does not cover a name.
 * Clients reach the sandbox by those names through a lookup that answers 127.0.0.1, trusting the CA only.
 */

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const STAGING = 'sandbox.staging.example.com';
const MACHINE = hostname().toLowerCase();

/** Every name resolves to 127.0.0.1, as a hosts-file entry would make it. */
const loopback = ((_name: string, options: { all?: boolean }, done: (...a: unknown[]) => void) =>
  options.all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)) as unknown as LookupFunction;

/** GET /__sandbox/health by `name` on the sandbox's port, verifying the certificate against `ca` only. */
function healthBy(name: string, url: string, ca: string): Promise<number | string> {
  const port = new URL(url).port;
  return new Promise((resolve) => {
    get(`https://${name}:${port}/__sandbox/health`, { ca, agent: false, lookup: loopback }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    }).on('error', (e: NodeJS.ErrnoException) => resolve(e.code!));
  });
}

const printed = (output: string) => ({
  sha256: (/^SHA-256 {8}(\S+)\n {15}(\S+)$/m.exec(output) ?? []).slice(1).join(':'),
  ca: /^local CA {7}(\S+)$/m.exec(output)![1],
  caSha256: (/^CA SHA-256 {5}(\S+)\n {15}(\S+)$/m.exec(output) ?? []).slice(1).join(':'),
});

const home = () => join(dir, 'state', 'oauth-platform-sandbox');
const keptCert = () => new X509Certificate(readFileSync(join(home(), 'tls', 'cert.pem')));
const sans = (x509: X509Certificate) => x509.subjectAltName!.split(', ');

test('--tls-name (repeatable, DNS and IP) and --allowed-hosts name the certificate; clients reach the sandbox by those names only', async () => {
  const sb = await startSandbox(['--port', '0', '--tls-name', STAGING, '--tls-name', '10.9.8.7', '--allowed-hosts', '.corp.example', '--quiet'], {
    cwd: dir,
    env,
  });
  try {
    // --tls-name implies --tls.
    expect(sb.url).toMatch(/^https:\/\//);
    expect(sans(keptCert())).toEqual([
      'DNS:localhost',
      'IP Address:127.0.0.1',
      'IP Address:0:0:0:0:0:0:0:1',
      `DNS:${MACHINE}`,
      'DNS:corp.example',
      'DNS:*.corp.example',
      `DNS:${STAGING}`,
      'IP Address:10.9.8.7',
    ]);
    expect(sb.output()).toContain(`names: localhost, 127.0.0.1, ::1, ${MACHINE}, corp.example,`);
    const ca = readFileSync(printed(sb.output()).ca, 'utf8');
    expect(await healthBy(STAGING, sb.url, ca)).toBe(200);
    expect(await healthBy('api.corp.example', sb.url, ca)).toBe(200);
    expect(await healthBy('other.example.com', sb.url, ca)).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  } finally {
    expect(await sb.stop()).toBe(0);
  }
});

test('the kept certificate is made again when it lacks a name asked (config file, environment), with its new fingerprint; the CA stays', async () => {
  const first = await startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env });
  const before = printed(first.output());
  const caPem = readFileSync(before.ca, 'utf8');
  expect(await first.stop()).toBe(0);

  writeFileSync(join(dir, 'sandbox.config.json'), JSON.stringify({ tls: true, 'tls-name': [STAGING] }));
  const second = await startSandbox(['--port', '0', '--quiet'], { cwd: dir, env });
  try {
    const now = printed(second.output());
    expect(second.output()).toContain(`(issued by your local CA, made now)\n               (the kept one did not cover ${STAGING})\n`);
    expect(now.sha256).toBe(keptCert().fingerprint256);
    expect(now.sha256).not.toBe(before.sha256);
    // One CA for every certificate: what trusted it before trusts the new certificate.
    expect({ ca: now.ca, caSha256: now.caSha256 }).toEqual({ ca: before.ca, caSha256: before.caSha256 });
    expect(second.output()).toContain('(kept: trust it once, for all it issues)');
    expect(await healthBy(STAGING, second.url, caPem)).toBe(200);
  } finally {
    expect(await second.stop()).toBe(0);
  }
  rmSync(join(dir, 'sandbox.config.json'));

  const third = await startSandbox(['--port', '0', '--quiet'], { cwd: dir, env: { ...env, SANDBOX_TLS_NAME: 'a.staging.example.com,b.staging.example.com' } });
  try {
    expect(third.output()).toContain('(the kept one did not cover a.staging.example.com, b.staging.example.com)');
    // The names asked before stay: projects asking for different names do not take turns remaking it.
    expect(sans(keptCert())).toEqual(expect.arrayContaining([`DNS:${STAGING}`, 'DNS:a.staging.example.com', 'DNS:b.staging.example.com']));
    expect(await healthBy(STAGING, third.url, caPem)).toBe(200);
  } finally {
    expect(await third.stop()).toBe(0);
  }
  const made = keptCert().fingerprint256;

  const fourth = await startSandbox(['--port', '0', '--tls', '--log-format', 'json'], { cwd: dir, env });
  try {
    const ready = JSON.parse(
      fourth
        .output()
        .split('\n')
        .find((l) => l.includes('"event":"ready"'))!,
    ) as { tls: Record<string, unknown> };
    expect(ready.tls).toEqual({
      certificate: join(home(), 'tls', 'cert.pem'),
      sha256: made,
      names: expect.arrayContaining(['localhost', '::1', STAGING, 'a.staging.example.com']),
      made: false,
      ca: { certificate: before.ca, sha256: before.caSha256, made: false },
    });
  } finally {
    expect(await fourth.stop()).toBe(0);
  }
});

test('a new local CA (the old one removed) issues a new certificate, and the banner says why', async () => {
  const first = await startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env });
  const before = printed(first.output());
  expect(await first.stop()).toBe(0);
  rmSync(join(home(), 'ca'), { recursive: true });
  const second = await startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env });
  try {
    const now = printed(second.output());
    expect(now.caSha256).not.toBe(before.caSha256);
    expect(second.output()).toContain('(the kept one was not issued by the local CA)');
    expect(second.output()).toContain('(made now and kept: trust it once, for all it issues)');
    expect(await healthBy('localhost', second.url, readFileSync(now.ca, 'utf8'))).toBe(200);
  } finally {
    expect(await second.stop()).toBe(0);
  }
});

test('two sandboxes starting at once on a fresh state folder end up with one CA, which both of their certificates chain to', async () => {
  const both = await Promise.all([0, 1].map(() => startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env })));
  try {
    const [a, b] = both.map((sb) => printed(sb.output()));
    expect(b.caSha256).toBe(a.caSha256);
    expect(new X509Certificate(readFileSync(a.ca)).fingerprint256).toBe(a.caSha256);
    const ca = readFileSync(a.ca, 'utf8');
    for (const sb of both) expect(await healthBy('localhost', sb.url, ca)).toBe(200);
  } finally {
    for (const sb of both) expect(await sb.stop()).toBe(0);
  }
});

test('a --tls-name that is no DNS name or IP, or that your own --tls-cert does not cover, is refused with how to fix it', async () => {
  const bad = await cli(['start', '--port', '0', '--tls-name', 'sandbox staging'], { cwd: dir, env });
  expect({ code: bad.code, stderr: bad.stderr }).toEqual({
    code: 2,
    stderr:
      'sandbox: --tls-name "sandbox staging": not a DNS name or an IP address (give a name such as sandbox.staging.example.com, *.staging.example.com or 10.0.0.5)\n',
  });

  const made = await startSandbox(['--port', '0', '--tls', '--quiet'], { cwd: dir, env });
  expect(await made.stop()).toBe(0);
  const own = await cli(
    ['start', '--port', '0', '--tls-cert', join(home(), 'tls', 'cert.pem'), '--tls-key', join(home(), 'tls', 'key.pem'), '--tls-name', STAGING],
    { cwd: dir, env },
  );
  expect(own.code).toBe(2);
  expect(own.stderr).toContain(`does not cover --tls-name ${STAGING} (it names DNS:localhost, IP Address:127.0.0.1`);
  expect(own.stderr).toContain("give a certificate that does, or leave out --tls-cert for one issued by the sandbox's local CA\n");

  // A state folder that cannot be written: what to do, not a bare ENOTDIR.
  writeFileSync(join(dir, 'a-file'), '');
  const state = join(dir, 'a-file', 'state');
  const unwritable = await cli(['start', '--port', '0', '--tls'], { cwd: dir, env: { ...env, XDG_STATE_HOME: state } });
  expect({ code: unwritable.code, stderr: unwritable.stderr }).toEqual({
    code: 1,
    stderr: `sandbox: cannot keep the local CA and certificate in ${join(state, 'oauth-platform-sandbox')} (ENOTDIR: not a directory, mkdir '${join(state, 'oauth-platform-sandbox')}'); set XDG_STATE_HOME to a folder you can write, or give your own --tls-cert and --tls-key\n`,
  });
});

test('start --detach prints the certificate, the CA and the commands that trust it; health trusts that CA', async () => {
  const r = await cli(['start', '--detach', '--port', '0', '--port-file', 'port', '--tls-name', STAGING], { cwd: dir, env });
  try {
    expect(r.code).toBe(0);
    const ca = join(home(), 'ca', 'ca.pem');
    expect(r.stdout).toContain(`certificate    ${join(home(), 'tls', 'cert.pem')}\n`);
    expect(r.stdout).toContain(`local CA       ${ca}\n`);
    expect(r.stdout).toContain(`  keytool -importcert -noprompt -alias oauth-platform-sandbox-ca \\\n      -file ${ca} \\\n`);
    expect(r.stdout).toContain(`  NODE_EXTRA_CA_CERTS=${ca} \\\n`);
    expect(printed(r.stdout).sha256).toBe(keptCert().fingerprint256);
    // health probes the HTTPS port trusting the CA the run record names, as a client would.
    expect(await cli(['health', '--port-file', 'port'], { cwd: dir, env })).toMatchObject({ code: 0 });
  } finally {
    expect((await cli(['stop'], { cwd: dir, env })).code).toBe(0);
  }
});

describe('the names a certificate is asked for', () => {
  test('a named --host counts; a wildcard address, "all" and entries that are no certificate name do not', () => {
    expect(certificateNames({ host: 'sandbox.internal', allowedHosts: ['all', 'bad_name', '.team.example'], tlsNames: ['10.0.0.5'] })).toEqual([
      'localhost',
      '127.0.0.1',
      '::1',
      MACHINE,
      'sandbox.internal',
      'team.example',
      '*.team.example',
      '10.0.0.5',
    ]);
    expect(certificateNames({ host: '0.0.0.0' })).toEqual(['localhost', '127.0.0.1', '::1', MACHINE]);
    expect(certificateNames({ host: '[::]' })).toEqual(['localhost', '127.0.0.1', '::1', MACHINE]);
  });

  test('--tls-name: lower-cased, commas split, brackets of an IPv6 address dropped; a wildcard over a top-level name refused', () => {
    expect(requestedNames(['Sandbox.Staging.Example.com', 'a.example,*.b.example', '[fd00::1]'])).toEqual([
      'sandbox.staging.example.com',
      'a.example',
      '*.b.example',
      'fd00::1',
    ]);
    for (const bad of ['*.com', 'a..b', '-a.example', 'a'.repeat(64) + '.example', 'http://a.example'])
      expect(() => requestedNames([bad])).toThrow(`--tls-name ${JSON.stringify(bad)}: not a DNS name or an IP address`);
    expect(requestedNames(Array.from({ length: 100 }, (_, i) => `n${i}.example`))).toHaveLength(100);
    expect(() => requestedNames(Array.from({ length: 101 }, (_, i) => `n${i}.example`))).toThrow('--tls-name: 101 names, at most 100 (a wildcard');
  });
});
