import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOnce } from '../../helpers/build-once.js';

/**
 * The package as a user installs it: `npm pack`, then the tarball installed into a project with
 * `npm ci`. One tarball and one install serve every packaging test of a run (and of later runs while
 * the build is unchanged): the first test file to get here builds them under a lock, the others wait.
 *
 * The install is offline: the consumer's lockfile pins the tarball and this project's own locked
 * production dependencies, whose tarballs this project's `npm ci` (or `npm install`) put in the npm
 * cache. So the tests need no network, and install exactly what users of this commit would.
 */

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  engines: Record<string, string>;
};
const SHIPPED = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'bin', 'dist', 'docs', 'fixtures', 'scenarios', 'schemas', 'ui'];
// Outside the repository: Node and TypeScript look for modules in every node_modules above a project,
// and this repository's own (with jest, @types/express, ...) would hide what the package lacks. One folder
// per checkout: each removes the builds of its earlier sources, and two checkouts on one machine (git
// worktrees, CI jobs) would otherwise remove each other's install while it is in use, and pack again.
const HOME = join(tmpdir(), `oauth-platform-sandbox-packed-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`);

export interface Installed {
  tarball: string;
  /** A project folder whose node_modules holds the package: consumer projects are made inside it. */
  prefix: string;
}

/** Names, sizes and times of what `npm pack` would ship: a new build means a new tarball. */
function buildKey(): string {
  const hash = createHash('sha256');
  const walk = (p: string): void => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const n of readdirSync(p).sort()) walk(join(p, n));
    else hash.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
  };
  for (const p of SHIPPED) walk(join(ROOT, p));
  return hash.digest('hex').slice(0, 16);
}

const run = (cmd: string, args: string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });

/** Pack and install into `dir`; returns the tarball's path. */
function build(dir: string): string {
  const [report] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT)) as { filename: string }[];
  const tarball = join(dir, report.filename);
  const registry = run('npm', ['config', 'get', 'registry'], ROOT).trim().replace(/\/+$/, '');
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; version?: string; resolved?: string }>;
  };
  const spec = `file:../${report.filename}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { [PKG.name]: spec } },
    [`node_modules/${PKG.name}`]: {
      version: PKG.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      license: PKG.license,
      dependencies: PKG.dependencies,
      bin: PKG.bin,
      engines: PKG.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.dev) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    // This project's lockfile leaves registry URLs out; the cache knows the tarballs by them.
    packages[path] = { ...entry, resolved: entry.resolved ?? `${registry}/${name}/-/${name.split('/').pop()}-${entry.version}.tgz` };
  }
  const prefix = join(dir, 'consumer');
  mkdirSync(prefix);
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { [PKG.name]: spec } }, null, 2));
  writeFileSync(join(prefix, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2));
  run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], prefix);
  return tarball;
}

let cached: Installed | undefined;

export async function installedPackage(): Promise<Installed> {
  if (cached) return cached;
  if (!existsSync(join(ROOT, 'dist', 'cjs', 'index.js'))) throw new Error('dist/ is missing or old: run `npm run build` first (npm test does)');
  const key = buildKey();
  const dir = join(HOME, key);
  const lock = `${dir}.lock`;
  mkdirSync(HOME, { recursive: true });
  const tarball = await buildOnce(
    join(dir, 'ready'),
    lock,
    () => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      const packed = build(dir);
      // Builds of earlier sources are of no more use.
      for (const old of readdirSync(HOME)) if (old !== key && !old.endsWith('.lock')) rmSync(join(HOME, old), { recursive: true, force: true });
      return packed;
    },
    { what: 'the packed package and its install', staleMs: 300_000, waitMs: 180_000 },
  );
  cached = { tarball, prefix: join(dir, 'consumer') };
  return cached;
}

/** A fresh consumer project inside the install, as `npm init` would make it, with these files. */
export function consumerProject(installed: Installed, type: 'module' | 'commonjs', files: Record<string, string> = {}): string {
  const projects = join(installed.prefix, 'projects');
  mkdirSync(projects, { recursive: true });
  const dir = mkdtempSync(join(projects, `${type}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer-project', private: true, type }, null, 2));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
