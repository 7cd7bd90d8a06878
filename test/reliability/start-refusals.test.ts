import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { BUILTIN } from '../helpers/zjrc.js';

/**
 * Whatever stops start-up stops it with one line on stderr saying what is wrong and where, and exit
 * code 1 (the port in use is in test/cli/start.test.ts). Several problems are counted, then listed.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-refusals-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function refused(args: string[]): string {
  const r = runCli(['start', '--port', '0', ...args]);
  expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
  return r.stderr;
}

const oneLine = (text: string) => expect(text.split('\n')).toHaveLength(2);

test('a fixture file that does not exist', () => {
  const missing = join(dir, 'nope', 'fixtures.json');
  const err = refused(['--fixtures', missing]);
  expect(err).toBe(`sandbox: invalid fixture or scenario: ${missing}: no such file or directory\n`);
});

test('a fixture that cannot be read: a folder where a .json file should be', () => {
  const folder = join(dir, 'fixtures');
  mkdirSync(join(folder, 'apps.json'), { recursive: true });
  const err = refused(['--fixtures', folder]);
  expect(err).toBe(`sandbox: invalid fixture or scenario: ${join(folder, 'apps.json')}: cannot read the file (EISDIR)\n`);
});

test('a fixture that is not JSON', () => {
  const bad = file('not-json.json', '{"mantun": {"apps": [');
  const err = refused(['--fixtures', bad]);
  oneLine(err);
  expect(err).toMatch(new RegExp(`^sandbox: invalid fixture or scenario: ${bad}: not valid JSON: .+\\n$`));
});

test('a bad key: an SOP app public key that is not a key', () => {
  const bad = file('sop-bad-key.json', { sop: { apps: [{ appId: '2019032617262200001', publicKey: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAgarbage' }] } });
  expect(refused(['--fixtures', bad])).toBe(
    `sandbox: invalid fixture or scenario: ${bad}: sop.apps[0].publicKey: expected an RSA public key (PEM, or bare Base64 as SOP and Alipay tools print it: X.509 SubjectPublicKeyInfo or PKCS#1)\n`,
  );
});

test('a bad key: a ZJRC platform private key that is not a key', () => {
  const bad = file('zjrc-bad-key.json', { zjrc: { platformKeys: { privateKey: 'bm90IGEga2V5', publicKey: BUILTIN.zjrc.platformKeys.publicKey } } });
  expect(refused(['--fixtures', bad])).toBe(
    `sandbox: invalid fixture or scenario: ${bad}: zjrc.platformKeys.privateKey: expected an RSA private key (the Base64 text is not a PKCS#8 or PKCS#1 private key)\n`,
  );
});

test('an unknown scenario name says which names exist', () => {
  const err = refused(['--scenario', 'rotation-stirct']);
  oneLine(err);
  expect(err).toMatch(
    /^sandbox: unknown scenario "rotation-stirct" \(did you mean "rotation-strict"\?\); the library has callback-url-missing, .*rotation-strict, .* \(or give a path to a \.json file\)\n$/,
  );
});

test('a scenario file that does not exist', () => {
  const missing = join(dir, 'my-bug.json');
  expect(refused(['--scenario', missing])).toBe(`sandbox: invalid fixture or scenario: ${missing}: cannot read the file (ENOENT)\n`);
});

test('a --db file in a folder that does not exist', () => {
  const db = join(dir, 'no-folder', 'state.json');
  expect(refused(['--db', db])).toBe(
    `sandbox: ${db}: cannot write the sandbox state file (its folder does not exist). Create the folder or pass another --db path.\n`,
  );
});

test('several problems are counted, then one line each', () => {
  const bad = file('two-problems.json', { zjrc: { platformKeys: { privateKey: 'bm90IGEga2V5', publicKey: 'AAAA' } } });
  expect(refused(['--fixtures', bad])).toBe(
    'sandbox: invalid fixture or scenario (2 problems):\n' +
      `${bad}: zjrc.platformKeys.privateKey: expected an RSA private key (the Base64 text is not a PKCS#8 or PKCS#1 private key)\n` +
      `${bad}: zjrc.platformKeys.publicKey: expected an RSA public key (the Base64 text is not an X.509 (SPKI) or PKCS#1 public key)\n`,
  );
});
