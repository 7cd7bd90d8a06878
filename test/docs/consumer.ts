import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildOnce } from '../helpers/build-once.js';
import type { Installed } from '../packaging/support/installed.js';
import { run, type Result } from './processes.js';

/**
 * A user's project with the package installed from the tarball `npm pack` makes (the one the packaging tests
 * share: test/packaging/support/installed.ts packs once per build), set up as the docs tell users to:
 * `npm init -y`, then `npm install --save-dev <the package>`. The docs test runs every example in it. This
 * project is a full npm project of its own (not one inside the shared install), because the docs run npm and
 * npx in it: `npm i alipay-sdk`, `npm pkg set`, `npx sandbox`. npm reads the registry only for what its cache
 * lacks (prefer-offline).
 *
 * The install took most of each docs test file's set-up (npm resolving, extracting and linking 130 packages),
 * so it is made once per build, as a template beside the packed tarball, and each test file runs in a copy of
 * its own: the files run at once in different workers, and their examples write files and start sandboxes in
 * the project. `cp -a` keeps what npm wrote byte for byte, symlinks (node_modules/.bin) as they are; the copy
 * sits beside the template, so the relative `file:` path npm wrote to the tarball still leads to it.
 */

/** The environment of a person's shell: none of the npm_* variables `npm test` sets, no colours, quiet npm. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE_OPTIONS' || k === 'NODE_ENV' || k.startsWith('JEST_')) continue;
    env[k] = v;
  }
  return {
    ...env,
    NO_COLOR: '1',
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

function check(what: string, r: Result): Result {
  if (r.code !== 0) throw new Error(`${what} failed (${r.timedOut ? 'timed out' : `exit ${r.code}`}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

// The sandbox keeps its local CA and certificate per user: the docs' --tls examples keep theirs in the project, not in the home of whoever runs the tests.
const projectEnv = (dir: string): NodeJS.ProcessEnv => userEnv({ XDG_STATE_HOME: join(dir, '.state') });

export interface ConsumerProject {
  dir: string;
  /** The packed package it installed. */
  tarball: string;
  env: NodeJS.ProcessEnv;
  /** Back to the state just after the install: only package.json, package-lock.json and node_modules. */
  clean(): void;
  dispose(): void;
}

async function makeTemplate(dir: string, tarball: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const env = projectEnv(dir);
  check('npm init -y', await run('npm', ['init', '-y'], { cwd: dir, env, timeoutMs: 60_000 }));
  check('npm install <tarball>', await run('npm', ['install', '--save-dev', tarball], { cwd: dir, env, timeoutMs: 300_000 }));
}

/** The project as `npm init -y` and `npm install --save-dev <tarball>` left it, made by the first test file of this build to ask. */
async function template(installed: Installed): Promise<string> {
  // In the build's own folder: installed.ts removes it with the build when the sources change.
  const dir = join(dirname(installed.tarball), 'docs-consumer');
  // Longer than making the template may take: the two npm commands' time limits.
  await buildOnce(`${dir}.ready`, `${dir}.lock`, () => makeTemplate(dir, installed.tarball).then(() => ''), {
    what: "the docs' consumer project",
    staleMs: 400_000,
    waitMs: 400_000,
  });
  return dir;
}

/** A project of this test file's own with the packed package installed, as a user sets one up. */
export async function consumerProject(installed: Installed): Promise<ConsumerProject> {
  const from = await template(installed);
  const dir = mkdtempSync(join(dirname(from), 'docs-project-'));
  check('cp -a <the consumer project>', await run('cp', ['-a', `${from}/.`, dir], { timeoutMs: 120_000 }));
  const env = projectEnv(dir);
  const keep = new Set(['package.json', 'package-lock.json', 'node_modules']);
  const saved = { pkg: readFileSync(join(dir, 'package.json'), 'utf8'), lock: readFileSync(join(dir, 'package-lock.json'), 'utf8') };
  return {
    dir,
    tarball: installed.tarball,
    env,
    clean() {
      for (const name of readdirSync(dir)) if (!keep.has(name)) rmSync(join(dir, name), { recursive: true, force: true });
      writeFileSync(join(dir, 'package.json'), saved.pkg);
      writeFileSync(join(dir, 'package-lock.json'), saved.lock);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
