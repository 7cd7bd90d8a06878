import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { envName, startOptions, configOption } from '../../src/cli/options/option-spec.js';
import { cli, eventually, freePort, ROOT, sandboxEnv } from '../cli/support/cli.js';

/**
 * The Dockerfile and the CI recipes, without a container engine: the image's own configuration is run as the
 * image would run it (its CMD with its ENV, probed by its HEALTHCHECK, stopped by SIGTERM), in seconds.
 * test/container/image.test.ts builds and runs the image itself.
 */

const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const RECIPES = readFileSync(join(ROOT, 'docs', 'ci-recipes.md'), 'utf8');
const LTS = ['22', '24'];

/** The instructions of the final stage, continuation lines joined. */
function finalStage(): string[] {
  const lines = DOCKERFILE.replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'));
  return lines.slice(lines.map((l) => l.startsWith('FROM')).lastIndexOf(true));
}

const instruction = (name: string): string =>
  finalStage()
    .find((l) => l.startsWith(`${name} `))!
    .slice(name.length + 1);

test('both stages build on ARG NODE_IMAGE (a registry mirror can stand in), by default the official Node image', () => {
  expect(DOCKERFILE.match(/^FROM .*/gm)).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE}']);
  expect(DOCKERFILE.match(/^ARG NODE_IMAGE=.*/gm)).toEqual(['ARG NODE_IMAGE=node:22-bookworm-slim']);
  // An ARG before the first FROM is visible to FROM lines only: no instruction of a stage may read it.
  expect(DOCKERFILE.split('\n').filter((l) => !l.startsWith('FROM') && !l.startsWith('#') && !l.startsWith('ARG') && l.includes('NODE_IMAGE'))).toEqual([]);
});

test('the image and every recipe use a supported Node LTS, while the package still runs on Node 20.19+', () => {
  const images = [...DOCKERFILE.matchAll(/^ARG NODE_IMAGE=node:(\d+)/gm), ...RECIPES.matchAll(/image: node:(\d+)/g)].map((m) => m[1]);
  const setupNode = [...RECIPES.matchAll(/node-version: (\d+)/g)].map((m) => m[1]);
  expect(images.length).toBeGreaterThanOrEqual(3);
  expect(setupNode.length).toBeGreaterThanOrEqual(1);
  expect([...images, ...setupNode].filter((v) => !LTS.includes(v))).toEqual([]);
  expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines).toEqual({ node: '>=20.19' });
});

test('every SANDBOX_ variable in the Dockerfile and the recipes is an option of sandbox start', () => {
  const known = Object.keys({ ...startOptions, ...configOption }).map(envName);
  const named = new Set([...`${DOCKERFILE}\n${RECIPES}`.matchAll(/\bSANDBOX_[A-Z_]+/g)].map((m) => m[0]));
  expect([...named].filter((n) => !known.includes(n))).toEqual([]);
  expect(named.size).toBeGreaterThanOrEqual(6);
});

test('the recipes show docker run and Testcontainers (Java)', () => {
  expect(RECIPES).toMatch(/## docker run\n[^]*```sh\n[^]*docker run --rm -d --name oauth-sandbox -p 127\.0\.0\.1:8848:8848/);
  // The wait works where nothing schedules the health check (podman without systemd): it asks the sandbox.
  expect(RECIPES).not.toMatch(/Health\.Status\W*\)?"? = healthy/);
  expect(RECIPES).toContain('docker exec oauth-sandbox node bin/sandbox.js health --wait 30000');
  expect(RECIPES).toMatch(
    /## Testcontainers \(Java\)\n[^]*```java\n[^]*new GenericContainer<>[^]*\.waitingFor\(Wait\.forHttp\("\/__sandbox\/health"\)\.forStatusCode\(200\)\)/,
  );
});

test('.dockerignore keeps installed and built output out of the build context', () => {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
  expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git']));
});

test("the image's CMD with its ENV serves on all interfaces, its HEALTHCHECK passes, and docker stop (SIGTERM) ends it with 0", async () => {
  const { dir, env } = sandboxEnv();
  try {
    const imageEnv: Record<string, string> = {};
    for (const [, k, v] of instruction('ENV').matchAll(/(\w+)=(\S+)/g)) imageEnv[k] = v;
    expect(imageEnv).toMatchObject({ SANDBOX_HOST: '0.0.0.0', SANDBOX_PORT: '8848' });
    // docker run -e SANDBOX_PORT=... -e SANDBOX_ADMIN_TOKEN=...: a free port here, as -p would map it.
    const runEnv = { ...env, ...imageEnv, SANDBOX_PORT: String(await freePort()), SANDBOX_ADMIN_TOKEN: 'image-token' };
    const cmd = JSON.parse(instruction('CMD')) as string[];
    const health = JSON.parse(instruction('HEALTHCHECK').replace(/^.*CMD /, '')) as string[];
    expect(cmd.slice(0, 2)).toEqual(['node', 'bin/sandbox.js']);
    const proc = spawn(process.execPath, cmd.slice(1), { cwd: ROOT, env: runEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => proc.once('exit', r));
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      const probe = await eventually('the HEALTHCHECK to pass', async () => {
        const r = await cli(health.slice(2), { cwd: ROOT, env: runEnv });
        return r.code === 0 ? r : undefined;
      });
      expect(probe.stdout).toBe(`ok http://127.0.0.1:${runEnv.SANDBOX_PORT}\n`);
      expect(out).toContain(`Sandbox ready at http://127.0.0.1:${runEnv.SANDBOX_PORT}`);
      expect((await fetch(`http://127.0.0.1:${runEnv.SANDBOX_PORT}/__sandbox/clock`)).status).toBe(401);
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
