import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { consumerProject, installedPackage, ROOT, type Installed } from './support/installed.js';

/**
 * CommonJS consumers get the CommonJS build: a Jest project in CommonJS (Jest's default, no
 * --experimental-vm-modules), and plain require() on a Node that cannot require() ES modules
 * (Node 22.0-22.11; here Node 20 with that support switched off).
 */

const exec = promisify(execFile);
const JEST = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

async function run(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 90_000 });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let installed: Installed;
beforeAll(async () => {
  installed = await installedPackage();
}, 180_000);

const LOGIN_TEST = `const { startSandbox, mantunClientSecret, mantunSign, mantunTimestamp } = require('oauth-platform-sandbox');

const APP = { key: 'O000000049', secret: '3F2A9C4E8B1D7F6A0C5E9B2D4F8A1C3E', redirect: 'http://you-domain/xxx.jsp' };
const post = (url, params) => fetch(url, { method: 'POST', body: new URLSearchParams(params) }).then((r) => r.json());

let sb;
beforeAll(async () => {
  sb = await startSandbox({ port: 0 });
});
afterAll(() => sb.close());

test('a Mantun login, a signed call, then the clock expires the token', async () => {
  const { code } = await post(\`\${sb.url}/oauth/authverify2.as\`, { response_type: 'code', client_id: APP.key, redirect_uri: APP.redirect, uname: '13800000000', passwd: 'sandbox123' });
  const client_secret = mantunClientSecret(APP.key, 'authorization_code', APP.redirect, code, APP.secret);
  const token = await post(\`\${sb.url}/oauth/token.as\`, { client_id: APP.key, client_secret, grant_type: 'authorization_code', redirect_uri: APP.redirect, code });
  const call = () => {
    const params = { client_id: APP.key, method: 'GET_PROJECTS', access_token: token.data.accessToken, timestamp: mantunTimestamp(sb.clock.now()) };
    return post(\`\${sb.url}/invoke/router.as\`, { ...params, sign: mantunSign(params, APP.secret) });
  };
  expect((await call()).success).toBe(true);
  sb.clock.advance('2h');
  expect(await call()).toMatchObject({ success: false, code: '10031' });
  expect(sb.requests({ platform: 'mantun', endpoint: 'token.as' })).toHaveLength(1);
});

test('the db option is the one thing it cannot have, and it says why and what to do', async () => {
  await expect(startSandbox({ port: 0, db: require('node:path').join(__dirname, 'state.json') })).rejects.toThrow(
    'the db option needs lowdb, an ES module, which this CommonJS Jest run cannot load: run Jest with --experimental-vm-modules, or on Node 24.9+ (whose Jest require()s ES modules), or leave db out (state in memory)',
  );
});

test('a session of its own', async () => {
  const s = await sb.sessions.create({ scenario: 'expiry-fast' });
  expect(s.url).toBe(\`\${sb.url}/s/\${s.id}\`);
  await s.close();
});
`;

test('a CommonJS Jest project (no --experimental-vm-modules) require()s the package and runs its tests', async () => {
  const dir = consumerProject(installed, 'commonjs', { 'test/login.test.js': LOGIN_TEST, 'jest.config.js': "module.exports = { testEnvironment: 'node' };\n" });
  const r = await run(dir, [JEST, '--ci', '--json', '--outputFile', 'results.json']);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  const report = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { numPassedTests: number; numFailedTests: number };
  expect({ passed: report.numPassedTests, failed: report.numFailedTests }).toEqual({ passed: 3, failed: 0 });
}, 120_000);

test('plain require() on a Node without require() of ES modules: the API, and --db through lowdb (an ES module)', async () => {
  const dir = consumerProject(installed, 'commonjs', {
    'main.js': `const { startSandbox, VERSION } = require('oauth-platform-sandbox');
const { join } = require('node:path');
(async () => {
  const db = join(__dirname, 'state.json');
  const sb = await startSandbox({ port: 0, db });
  const health = await fetch(\`\${sb.url}/__sandbox/health\`).then((r) => r.json());
  await sb.close();
  console.log(JSON.stringify({ version: VERSION, status: health.status, db: require('node:fs').existsSync(db), resolved: require.resolve('oauth-platform-sandbox').split('node_modules/')[1] }));
})();
`,
  });
  const r = await run(dir, ['--no-experimental-require-module', 'main.js']);
  expect(r.stderr).toBe('');
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  expect(JSON.parse(r.stdout)).toEqual({ version, status: 'ok', db: true, resolved: 'oauth-platform-sandbox/dist/cjs/index.js' });
});
