import { createPrivateKey, createPublicKey } from 'node:crypto';
import { rsaSign, rsaVerify } from '../../src/core/crypto.js';
import { APP, BUILTIN_SOP, PLATFORM_PUBLIC_KEY, sopFixtureFile } from '../helpers/sop.js';
import { BUILTIN as BUILTIN_ZJRC } from '../helpers/zjrc.js';
import { inProcess, spawned, withoutSandboxVariables } from './support/command-line.js';

/** A PEM key as the bare Base64 `sandbox keys` prints by default. */
const bare = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

/** `sandbox keys <args>` in this process, through the CLI's own argument parsing; what it printed, once it exited 0 with nothing on stderr. */
async function run(args: string[] = []): Promise<string> {
  const r = await inProcess(['keys', ...args]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout;
}

beforeAll(withoutSandboxVariables);

describe('npx sandbox keys', () => {
  test('prints the built-in TEST ONLY pairs as bare Base64, labelled with their use', async () => {
    const out = await run();
    expect(out).toBe(
      [
        'TEST ONLY: the built-in keys are published with the sandbox. Never use them for anything real.',
        '',
        'sop app 2019032617262200001 (Sandbox demo app)',
        "  private key: sign gateway requests with it (alipay-sdk: privateKey, keyType 'PKCS8')",
        APP.privateKey,
        '',
        '  public key: the gateway verifies request signatures with it',
        APP.publicKey,
        '',
        'sop platform',
        '  public key: verify response signatures with it (alipay-sdk: alipayPublicKey)',
        PLATFORM_PUBLIC_KEY,
        '',
        '  private key: the sandbox signs responses with it; clients never need it',
        BUILTIN_SOP.platformKeys.privateKey,
        '',
        'zjrc app ZJRC0000000001 (Sandbox demo app (TEST ONLY credentials, not real))',
        '  private key: sign gateway requests with it (the Java SDK: the app private key, PKCS#8)',
        bare(BUILTIN_ZJRC.zjrc.apps[0].privateKey),
        '',
        '  public key: the gateway verifies request signatures with it',
        bare(BUILTIN_ZJRC.zjrc.apps[0].publicKey),
        '',
        'zjrc platform',
        '  public key: verify response signatures with it (the Java SDK: isSignValid())',
        bare(BUILTIN_ZJRC.zjrc.platformKeys.publicKey),
        '',
        '  private key: the sandbox signs responses with it; clients never need it',
        bare(BUILTIN_ZJRC.zjrc.platformKeys.privateKey),
        '',
        '',
      ].join('\n'),
    );
  });

  test('--format pem prints PEM that pairs up (what the app signs, its public key verifies)', async () => {
    const out = await run(['--format', 'pem']);
    const pems: string[] = out.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
    const pair = ['-----BEGIN PRIVATE KEY-----', '-----BEGIN PUBLIC KEY-----', '-----BEGIN PUBLIC KEY-----', '-----BEGIN PRIVATE KEY-----'];
    expect(pems.map((p) => p.split('\n')[0])).toEqual([...pair, ...pair]);
    // Each app's private key (SOP's, then ZJRC's) signs what its public key verifies; so do the platforms' pairs.
    for (const [priv, pub] of [
      [0, 1],
      [3, 2],
      [4, 5],
      [7, 6],
    ]) {
      const sig = rsaSign('x', createPrivateKey(pems[priv]), 'sha256');
      expect(rsaVerify('x', sig, createPublicKey(pems[pub]), 'sha256')).toBe(true);
    }
  });

  test('--json, over a fixture of your own', async () => {
    const file = sopFixtureFile({ apps: [{ appId: 'A1', publicKey: APP.publicKey }] });
    const entries = JSON.parse(await run(['--json', '--fixtures', file])) as { platform: string; owner: string; kind: string; base64: string }[];
    expect(entries.map((e) => [e.owner, e.kind]).slice(0, 3)).toEqual([
      ['app A1', 'public'],
      ['platform', 'public'],
      ['platform', 'private'],
    ]);
    expect(entries.map((e) => e.platform)).toEqual(['sop', 'sop', 'sop', 'zjrc', 'zjrc', 'zjrc', 'zjrc']);
    expect(entries[0].base64).toBe(APP.publicKey);
  });

  test('spawned: the real process prints the same, exits 0, and writes nothing on stderr', async () => {
    expect(await spawned(['keys', '--format', 'pem'])).toEqual({ code: 0, stdout: await run(['--format', 'pem']), stderr: '' });
  });
});
