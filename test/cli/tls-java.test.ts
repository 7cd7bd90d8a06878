import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { java } from '../clients/lib/tools.js';
import { sandboxEnv, startSandbox, type Running } from './support/cli.js';

/**
 * A Java client of the real Mantun platform (../clients/java/MantunClient.java) over HTTPS by a staging name,
 * as a Java team's app reaches the sandbox behind its load balancer: the JVM resolves the name to 127.0.0.1
 * through a hosts file of its own (-Djdk.net.hosts.file) and trusts the sandbox's local CA through a copy of
 * its default cacerts, made with the commands the start banner prints.
 */

const exec = promisify(execFile);
const STAGING = 'sandbox.staging.example.com';
const APP = ['O000000049', '3F2A9C4E8B1D7F6A0C5E9B2D4F8A1C3E', 'http://you-domain/xxx.jsp'];

let dir: string;
let sb: Running;
beforeAll(async () => {
  let env: NodeJS.ProcessEnv;
  ({ dir, env } = sandboxEnv());
  sb = await startSandbox(['--port', '0', '--tls-name', STAGING, '--quiet'], { cwd: dir, env });
  // The banner's Java step, run twice as a CI job re-run would: it must not fail with "alias already exists".
  const lines = sb.output().split('\n');
  const steps = lines
    .slice(
      lines.findIndex((l) => l.startsWith('trust it')) + 1,
      lines.findIndex((l) => l.startsWith('  java -D')),
    )
    .join('\n');
  for (let i = 0; i < 2; i++) await exec('bash', ['-e', '-o', 'pipefail', '-c', steps], { cwd: dir });
  writeFileSync(join(dir, 'hosts'), `127.0.0.1 ${STAGING}\n127.0.0.1 other.example.com\n`);
}, 120_000);
afterAll(async () => {
  await sb?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const jvm = () => [
  `-Djdk.net.hosts.file=${join(dir, 'hosts')}`,
  `-Djavax.net.ssl.trustStore=${join(dir, 'sandbox-cacerts')}`,
  '-Djavax.net.ssl.trustStorePassword=changeit',
];
const base = (name: string) => `https://${name}:${new URL(sb.url).port}`;
const entries = async (args: string[]) => Number(/contains (\d+) entr/.exec((await exec('keytool', ['-list', '-storepass', 'changeit', ...args])).stdout)![1]);

test('the trust store is the JVM default cacerts plus the sandbox CA (the app still trusts the real services it calls)', async () => {
  const defaults = await entries(['-cacerts']);
  expect(defaults).toBeGreaterThan(50);
  expect(await entries(['-keystore', join(dir, 'sandbox-cacerts')])).toBe(defaults + 1);
});

test('code → token → router.as over HTTPS by the staging name, trusting the local CA only', async () => {
  const out = await java(
    'MantunClient.java',
    [base(STAGING), ...APP, '13800000000', 'sandbox123', 'realtime', 'P00000000009', '187ED5310A2C'],
    'Asia/Shanghai',
    jvm(),
  );
  expect(out).toEqual({
    accessToken: expect.stringMatching(/^[0-9a-f]{32}$/),
    channels: [
      { title: 'Lighting', oc: 'true', aW: 1193.7, updated: expect.any(Number) },
      { title: 'Air conditioning', oc: 'false', aW: 0, updated: expect.any(Number) },
      { title: 'Sockets', oc: 'true', aW: 398.7, updated: expect.any(Number) },
    ],
  });
}, 60_000);

test('a name the certificate does not cover fails the handshake, as it did for every staging name before --tls-name', async () => {
  await expect(java('MantunClient.java', [base('other.example.com'), ...APP, '13800000000', 'sandbox123', 'realtime'], 'Asia/Shanghai', jvm())).rejects.toThrow(
    'No subject alternative DNS name matching other.example.com found',
  );
}, 60_000);
