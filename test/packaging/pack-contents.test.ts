import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `npm publish` would upload, read from `npm pack --dry-run --json` (scripts off: no build, no side effects). */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;

let files: string[];
beforeAll(() => {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`npm pack failed (${r.status}): ${r.stderr}`);
  const [report] = JSON.parse(r.stdout) as { name: string; files: { path: string }[] }[];
  expect(report.name).toBe('oauth-platform-sandbox');
  files = report.files.map((f) => f.path).sort();
}, 60000);

const walk = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

test('ships the build, the CLI, the built-in data, the schemas, the dashboard and the docs; no sources, tests or benchmarks', () => {
  const tops = [...new Set(files.map((f) => f.split('/')[0]))].sort();
  expect(tops).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'bin', 'dist', 'docs', 'fixtures', 'package.json', 'scenarios', 'schemas', 'ui']);
  for (const left of ['src/', 'test/', 'bench/', 'node_modules/', 'tsconfig.json', 'jest.config.js', 'Dockerfile', '.git']) {
    expect(files.filter((f) => f.startsWith(left))).toEqual([]);
  }
});

test('every file the package points at is in it', () => {
  const { import: esm, require: cjs } = pkg.exports['.'];
  const pointed = [pkg.main, pkg.types, esm.types, esm.default, cjs.types, cjs.default, ...Object.values(pkg.bin as Record<string, string>)].map((p: string) =>
    p.replace(/^\.\//, ''),
  );
  expect(pointed).toEqual([
    'dist/cjs/index.js',
    'dist/index.d.ts',
    'dist/index.d.ts',
    'dist/index.js',
    'dist/cjs/index.d.ts',
    'dist/cjs/index.js',
    'bin/sandbox.js',
    'bin/sandbox.js',
  ]);
  // The build's validated built-in fixtures: without them a plain start loads zod (slower, still correct).
  for (const p of [...pointed, 'dist/cli/main.js', 'dist/bundle/main.js', 'dist/builtin-fixtures.json', 'dist/cjs/package.json', 'dist/cjs/load-esm.js'])
    expect(files).toContain(p);
});

test('the compiled output of every source file, with its declarations, in both builds (the CLI in the ES module one only)', () => {
  const sources = walk('src').filter((f) => f.endsWith('.ts'));
  expect(sources.length).toBeGreaterThan(50);
  const missing = sources.flatMap((f) => {
    const rel = relative('src', f).replace(/\.ts$/, '');
    const builds = rel.startsWith('cli/') ? ['dist'] : ['dist', 'dist/cjs'];
    return builds.flatMap((b) => [`${b}/${rel}.js`, `${b}/${rel}.d.ts`]).filter((p) => !files.includes(p));
  });
  expect(missing).toEqual([]);
  // Source maps would point at src/, which is not shipped.
  expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
});

test('every built-in fixture and scenario, the JSON Schemas, every dashboard file and every page of the docs', () => {
  for (const dir of ['docs', 'fixtures', 'scenarios', 'ui']) {
    const onDisk = walk(dir).sort();
    expect(onDisk.length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith(`${dir}/`))).toEqual(onDisk);
  }
  expect(files.filter((f) => f.startsWith('schemas/'))).toEqual(['schemas/config.schema.json', 'schemas/fixtures.schema.json', 'schemas/scenario.schema.json']);
});

test('package.json declares what consumers and registries read', () => {
  expect(pkg.type).toBe('module');
  expect(pkg.engines).toEqual({ node: '>=20.19' });
  expect(pkg.exports).toEqual({
    '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' }, require: { types: './dist/cjs/index.d.ts', default: './dist/cjs/index.js' } },
    './package.json': './package.json',
    './schemas/*': './schemas/*',
  });
  // The public declarations use Node's types (node:http, Buffer): a TypeScript consumer needs @types/node.
  // Optional, so npm does not add it to JavaScript projects; declared, so npm refuses one older than Node 20's.
  expect({ peer: pkg.peerDependencies, meta: pkg.peerDependenciesMeta }).toEqual({
    peer: { '@types/node': '>=20' },
    meta: { '@types/node': { optional: true } },
  });
  expect(existsSync(join(ROOT, 'CHANGELOG.md'))).toBe(true);
  expect(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')).toContain(`## ${pkg.version}`);
});
