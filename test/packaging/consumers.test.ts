import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The package as its users get it: a project whose node_modules/oauth-platform-sandbox is the package
 * (a symlink to this checkout, as `npm link` or a workspace would make it), importing it by name only.
 * These run the built output, so `npm run build` comes first (npm test does it).
 */

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONSUMERS = fileURLToPath(new URL('./consumers/', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const projects: string[] = [];

function project(type: 'module' | 'commonjs', files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `sandbox-consumer-${type}-`));
  projects.push(dir);
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'oauth-platform-sandbox'), 'dir');
  // What npm does for the package's "bin" entry.
  symlinkSync('../oauth-platform-sandbox/bin/sandbox.js', join(dir, 'node_modules', '.bin', 'sandbox'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${type}`, private: true, type }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function run(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 30000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests');
});
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

test('an ES module project imports the package by name and runs a login, an expiry and a session', async () => {
  const dir = project('module');
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
  const dir = project('commonjs');
  copyFileSync(join(CONSUMERS, 'consumer.cjs'), join(dir, 'consumer.cjs'));
  const r = await run(dir, ['consumer.cjs']);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({ version: VERSION, status: 1, userCode: 'test', expired: { status: 0, msg: 'can not find user by accesstoken ' }, tokens: 3 });
});

test('TypeScript projects (ESM and CommonJS, module nodenext) get the types through "exports"', async () => {
  const api = `import { startSandbox, mantunClientSecret, type RunningSandbox, type SandboxSession, type Scenario } from 'oauth-platform-sandbox';
export async function main(): Promise<number> {
  const sb: RunningSandbox = await startSandbox({ port: 0, scenario: 'expiry-fast', logLevel: 'silent' });
  const s: SandboxSession = await sb.sessions.create({ scenario: ['rotation-strict'] });
  const exported: Scenario = await s.scenario.export('bug');
  const secret: string = mantunClientSecret('O000000049', 'authorization_code', 'http://cb', 'code', 'secret');
  // @ts-expect-error the port is a number: the check fails if the package's types are missing or any
  await startSandbox({ port: '0' });
  // @ts-expect-error no such control
  sb.clock.rewind('1h');
  await sb.close();
  return sb.port + secret.length + (exported.name?.length ?? 0);
}
`;
  const dir = project('module', {
    'consumer.mts': api,
    'consumer.cts': api,
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['consumer.mts', 'consumer.cts'] }),
  });
  const r = await run(dir, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
}, 60000);

test('"exports" opens the entry point, package.json and the JSON Schemas, and nothing internal', async () => {
  const dir = project('module', {
    'probe.mjs': `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = {};
out.main = require.resolve('oauth-platform-sandbox');
out.pkg = require('oauth-platform-sandbox/package.json').name;
out.fixtures = require('oauth-platform-sandbox/schemas/fixtures.schema.json').title;
out.scenario = require('oauth-platform-sandbox/schemas/scenario.schema.json').title;
try { await import('oauth-platform-sandbox/dist/sandbox.js'); out.internal = 'imported'; } catch (e) { out.internal = e.code; }
console.log(JSON.stringify(out));
`,
  });
  const r = await run(dir, ['probe.mjs']);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({
    main: join(ROOT, 'dist', 'index.js'),
    pkg: 'oauth-platform-sandbox',
    fixtures: 'OAuth platform sandbox fixtures',
    scenario: 'OAuth platform sandbox scenario',
    internal: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
  });
});

test('the bin runs from node_modules/.bin, and a consumer fixture pointing $schema into node_modules validates', async () => {
  const fixture = { $schema: './node_modules/oauth-platform-sandbox/schemas/fixtures.schema.json', mantun: { apps: [{ appKey: 'O000000099', appSecret: '0123456789ABCDEF0123456789ABCDEF', redirectUri: 'https://staging.example.com/cb' }] } };
  const dir = project('commonjs', { 'sandbox-fixtures.json': JSON.stringify(fixture, null, 2) });
  expect(existsSync(resolve(dir, fixture.$schema))).toBe(true);
  const bin = join(dir, 'node_modules', '.bin', 'sandbox');
  expect(await run(dir, [bin, '--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  expect(await run(dir, [bin, 'validate', 'sandbox-fixtures.json'])).toEqual({ code: 0, stdout: `ok  ${join(dir, 'sandbox-fixtures.json')}\n`, stderr: '' });
  expect(dirname(fixture.$schema)).toBe('./node_modules/oauth-platform-sandbox/schemas');
});
