import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What a host like CI's needs before podman builds and runs the Dockerfile unchanged: podman's settings
 * (containers.conf, through CONTAINERS_CONF), a base image under the name the Dockerfile's FROM uses, and the
 * host's CA bundle and npm configuration lent read-only to the build's RUN steps. Each check says what is
 * wrong and how to fix it: on a host where the runtime cannot work the test fails, never skips.
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = fileURLToPath(new URL('./', import.meta.url));
export const CONTAINERS_CONF = join(HERE, 'containers.conf');
/** A label on the images this test builds, so that superseded ones can be found and removed. */
export const TEST_LABEL = 'org.oauth-platform-sandbox.test-image=container';

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export const podmanEnv = (): NodeJS.ProcessEnv => ({ ...process.env, CONTAINERS_CONF });

/** Run a command to its end (bounded), with podman's settings in the environment. */
export function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd ?? ROOT, env: opts.env ?? podmanEnv(), encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: error && !stderr ? String(error.message) : stderr });
      },
    );
  });
}

export const podman = (args: string[], timeoutMs = 60_000): Promise<Result> => run('podman', args, { timeoutMs });

/** The limits containers.conf asks for, from the file itself. */
function askedLimits(): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const [, name, hard] of readFileSync(CONTAINERS_CONF, 'utf8').matchAll(/"(nofile|nproc)=\d+:(\d+)"/g)) limits[name] = Number(hard);
  return limits;
}

/** Fails with the reason when podman cannot build and run containers on this host. */
export async function checkRuntime(): Promise<void> {
  const missing = ['podman', 'runc', 'mmdebstrap'].filter((c) => !['/usr/bin', '/usr/sbin', '/bin', '/sbin'].some((d) => existsSync(join(d, c))));
  if (missing.length) throw new Error(`the container test needs ${missing.join(', ')} (Debian packages): \`npm run test:setup\` installs them`);
  const ulimits = await run('bash', ['-c', 'ulimit -Hn; ulimit -Hu']);
  const [nofile, nproc] = ulimits.stdout.trim().split('\n');
  const asked = askedLimits();
  const host: Record<string, number> = { nofile: nofile === 'unlimited' ? Infinity : Number(nofile), nproc: nproc === 'unlimited' ? Infinity : Number(nproc) };
  for (const [name, value] of Object.entries(asked))
    if (host[name] < value)
      throw new Error(`${CONTAINERS_CONF} asks for ${name} ${value}, above this host's hard limit ${host[name]}: lower it there, or a container cannot start`);
  const info = await podman(['info', '--format', '{{.Host.OCIRuntime.Name}} {{.Host.CgroupsVersion}}']);
  if (info.code !== 0) throw new Error(`podman cannot run here (podman info failed; rootful podman needs root): ${info.stderr.trim()}`);
  if (!info.stdout.startsWith('runc ')) throw new Error(`podman uses ${info.stdout.trim()}, not runc: is CONTAINERS_CONF (${CONTAINERS_CONF}) read?`);
}

/** The Dockerfile's default base image (ARG NODE_IMAGE) and its Node major version. */
export function dockerfileBase(): { image: string; nodeMajor: number } {
  const m = /^ARG NODE_IMAGE=(\S+)$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  if (!m) throw new Error('the Dockerfile has no `ARG NODE_IMAGE=<default>` line');
  const major = /^node:(\d+)/.exec(m[1]);
  if (!major) throw new Error(`NODE_IMAGE's default ${m[1]} is not an official node:<major>-... image name`);
  return { image: m[1], nodeMajor: Number(major[1]) };
}

/** The base image, built once and then kept (test/container/base-image.sh says when it is remade). */
export async function ensureBaseImage(): Promise<string> {
  const { image, nodeMajor } = dockerfileBase();
  const r = await run('bash', [join(HERE, 'base-image.sh'), image, String(nodeMajor)], { timeoutMs: 15 * 60_000 });
  if (r.code !== 0) throw new Error(`the base image could not be made (test/container/base-image.sh): ${r.stderr.trim().split('\n').slice(-15).join('\n')}`);
  return r.stdout.trim();
}

/**
 * `-v HOST:CONTAINER:ro` for the build's RUN steps: the CA bundle npm is told to trust (at the same path), the
 * global npm configuration (where the image's npm, in /usr/local, reads it) and the user's (root's, as RUN
 * runs). Mounted, not copied: nothing of the host's ends up in a layer.
 */
export async function buildMounts(): Promise<string[]> {
  const get = async (key: string): Promise<string> => (await run('npm', ['config', 'get', key], { env: process.env })).stdout.trim();
  const cafile = [await get('cafile'), '/etc/ssl/certs/ca-certificates.crt'].find((f) => f && f !== 'null' && f !== 'undefined' && existsSync(f));
  const mounts: string[] = [];
  if (cafile) mounts.push('-v', `${cafile}:${cafile}:ro`);
  const globalconfig = await get('globalconfig');
  if (existsSync(globalconfig)) mounts.push('-v', `${globalconfig}:/usr/local/etc/npmrc:ro`);
  const userconfig = await get('userconfig');
  if (existsSync(userconfig)) mounts.push('-v', `${userconfig}:/root/.npmrc:ro`);
  return mounts;
}

/** What this host adds to `podman build`: no pulling, Docker's image format (it keeps HEALTHCHECK), the mounts, the test's label. */
export const buildFlags = (mounts: string[]): string[] => [...mounts, '--pull=never', '--format', 'docker', '--label', TEST_LABEL];

/** A `docker` command for the docs' blocks: podman, with buildFlags added to `build`. */
export function writeDockerShim(dir: string, flags: string[]): string {
  const quoted = flags.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const file = join(dir, 'docker');
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = build ]; then shift; exec podman build ${quoted} "$@"; fi\nexec podman "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}
