import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { consumerProject, installedPackage, ROOT, type Installed } from './support/installed.js';

/** The package as its users get it: installed from the packed tarball, imported by name only. */

const exec = promisify(execFile);
const CONSUMERS = fileURLToPath(new URL('./consumers/', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

async function run(dir: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 30000, env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let installed: Installed;
beforeAll(async () => {
  installed = await installedPackage();
}, 180_000);

test('an ES module project imports the package by name and runs a login, an expiry and a session', async () => {
  const dir = consumerProject(installed, 'module');
  copyFileSync(join(CONSUMERS, 'consumer.mjs'), join(dir, 'consumer.mjs'));
  const r = await run(dir, ['consumer.mjs']);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({
    version: VERSION,
    expiresIn: 3600,
    fresh: { success: true, boxes: 2 },
    expired: { success: false, code: '10031', message: 'access_token has expired' },
    sessionExpiresIn: 5,
    journal: { all: 2, session: 1 },
  });
});

test('a CommonJS project require()s the package and runs a UserCenter login with the password helpers', async () => {
  const dir = consumerProject(installed, 'commonjs');
  copyFileSync(join(CONSUMERS, 'consumer.cjs'), join(dir, 'consumer.cjs'));
  const r = await run(dir, ['consumer.cjs']);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({
    version: VERSION,
    status: 1,
    userCode: 'test',
    expired: { status: 0, msg: 'can not find user by accesstoken ' },
    tokens: 3,
  });
});

test('"exports" gives import the ES module build and require the CommonJS one; package.json and the JSON Schemas; nothing internal', async () => {
  const dir = consumerProject(installed, 'module', {
    'probe.mjs': `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = {};
out.require = require.resolve('oauth-platform-sandbox');
out.import = import.meta.resolve('oauth-platform-sandbox');
out.pkg = require('oauth-platform-sandbox/package.json').name;
out.fixtures = require('oauth-platform-sandbox/schemas/fixtures.schema.json').title;
out.scenario = require('oauth-platform-sandbox/schemas/scenario.schema.json').title;
out.config = require('oauth-platform-sandbox/schemas/config.schema.json').title;
try { await import('oauth-platform-sandbox/dist/sandbox.js'); out.internal = 'imported'; } catch (e) { out.internal = e.code; }
console.log(JSON.stringify(out));
`,
  });
  const r = await run(dir, ['probe.mjs']);
  expect(r.stderr).toBe('');
  const pkg = join(installed.prefix, 'node_modules', 'oauth-platform-sandbox');
  expect(JSON.parse(r.stdout)).toEqual({
    require: join(pkg, 'dist', 'cjs', 'index.js'),
    import: `file://${join(pkg, 'dist', 'index.js')}`,
    pkg: 'oauth-platform-sandbox',
    fixtures: 'OAuth platform sandbox fixtures',
    scenario: 'OAuth platform sandbox scenario',
    config: 'OAuth platform sandbox configuration',
    internal: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
  });
});

test('the bin runs from node_modules/.bin, and a consumer fixture pointing $schema into node_modules validates', async () => {
  const fixture = {
    $schema: './node_modules/oauth-platform-sandbox/schemas/fixtures.schema.json',
    mantun: { apps: [{ appKey: 'O000000099', appSecret: '0123456789ABCDEF0123456789ABCDEF', redirectUri: 'https://staging.example.com/cb' }] },
  };
  const dir = consumerProject(installed, 'commonjs', { 'sandbox-fixtures.json': JSON.stringify(fixture, null, 2) });
  // The consumer project sits inside the install, as a package inside a workspace would.
  expect(existsSync(resolve(installed.prefix, fixture.$schema))).toBe(true);
  const bin = join(installed.prefix, 'node_modules', '.bin', 'sandbox');
  expect(await run(dir, [bin, '--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  expect(await run(dir, [bin, 'validate', 'sandbox-fixtures.json'])).toEqual({ code: 0, stdout: `ok  ${join(dir, 'sandbox-fixtures.json')}\n`, stderr: '' });
});
