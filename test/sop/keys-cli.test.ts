import { jest } from '@jest/globals';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { ArgumentsCamelCase } from 'yargs';
import { keysCommand } from '../../src/cli/keys.js';
import { rsaSign, rsaVerify } from '../../src/core/crypto.js';
import { APP, BUILTIN_SOP, PLATFORM_PUBLIC_KEY, sopFixtureFile } from '../helpers/sop.js';

type Args = Parameters<NonNullable<typeof keysCommand.handler>>[0];

async function run(args: Partial<Args>): Promise<string> {
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await keysCommand.handler({ format: 'base64', json: false, fixtures: [], 'builtin-fixtures': true, _: ['keys'], $0: 'sandbox', ...args } as ArgumentsCamelCase<Args>);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('npx sandbox keys', () => {
  test('prints the built-in TEST ONLY pairs as bare Base64, labelled with their use', async () => {
    const out = await run({});
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
        '',
      ].join('\n'),
    );
  });

  test('--format pem prints PEM that pairs up (what the app signs, its public key verifies)', async () => {
    const out = await run({ format: 'pem' });
    const pems: string[] = out.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
    expect(pems.map((p) => p.split('\n')[0])).toEqual(['-----BEGIN PRIVATE KEY-----', '-----BEGIN PUBLIC KEY-----', '-----BEGIN PUBLIC KEY-----', '-----BEGIN PRIVATE KEY-----']);
    const sig = rsaSign('x', createPrivateKey(pems[0]), 'sha256');
    expect(rsaVerify('x', sig, createPublicKey(pems[1]), 'sha256')).toBe(true);
  });

  test('--json, over a fixture of your own', async () => {
    const file = sopFixtureFile({ apps: [{ appId: 'A1', publicKey: APP.publicKey }] });
    const entries = JSON.parse(await run({ json: true, fixtures: [file] })) as { owner: string; kind: string; base64: string }[];
    expect(entries.map((e) => [e.owner, e.kind])).toEqual([
      ['app A1', 'public'],
      ['platform', 'public'],
      ['platform', 'private'],
    ]);
    expect(entries[0].base64).toBe(APP.publicKey);
  });
});
