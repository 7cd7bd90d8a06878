import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { consumerProject, installedPackage, ROOT, type Installed } from './support/installed.js';

/**
 * A strict TypeScript project (skipLibCheck: false, so the package's own declarations are checked too)
 * that installed the package and @types/node, as any Node project in TypeScript has, and nothing else:
 * no @types/express, no @types/yargs. Both module formats, through "exports".
 */

const exec = promisify(execFile);
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const API = `import { startSandbox, mantunClientSecret, type RunningSandbox, type SandboxSession, type Scenario } from 'oauth-platform-sandbox';
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

let installed: Installed;
beforeAll(async () => {
  installed = await installedPackage();
}, 180_000);

/** What `npm i -D @types/node` puts in a project (copied from this repository's install: no network). */
function withNodeTypes(dir: string): void {
  for (const pkg of ['@types/node', 'undici-types']) cpSync(join(ROOT, 'node_modules', pkg), join(dir, 'node_modules', pkg), { recursive: true });
}

async function tsc(dir: string): Promise<string[]> {
  try {
    await exec(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8', timeout: 150_000 });
    return [];
  } catch (e) {
    const { stdout: out, stderr, signal } = e as { stdout: string; stderr: string; signal: string | null };
    // A tsc that was ended, or failed without a diagnostic, answered nothing: that is no clean compile.
    if (signal !== null || !/: error TS\d+:/.test(out)) throw new Error(`tsc ended (${signal ?? 'no diagnostics'}) in ${dir}:\n${out}${stderr}`);
    // "path(line,col): error TSxxxx: message" → "path: TSxxxx: first sentence", paths from the install's folder.
    const errors = out
      .split('\n')
      .map((l) => /^(.+?)\(\d+,\d+\): error (TS\d+): ([^.]*\.)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${relative(installed.prefix, join(dir, m[1]))}: ${m[2]}: ${m[3]}`);
    return [...new Set(errors)].sort();
  }
}

// One compile for both checks (each tsc over @types/node takes seconds): the consumers compile clean, and a
// consumer's own type error is reported, so an empty answer is not a check that cannot fail.
const BAD = "import { startSandbox } from 'oauth-platform-sandbox';\nexport const port: string = (await startSandbox({ port: 0 })).port;\n";

test('a strict TypeScript consumer (ESM and CommonJS, skipLibCheck off) compiles with @types/node and nothing else; a type error of its own is reported', async () => {
  const dir = consumerProject(installed, 'module', {
    'consumer.mts': API,
    'consumer.cts': API,
    'bad.mts': BAD,
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      },
      files: ['consumer.mts', 'consumer.cts', 'bad.mts'],
    }),
  });
  withNodeTypes(dir);
  expect(existsSync(join(installed.prefix, 'node_modules', '@types'))).toBe(false);
  expect(await tsc(dir)).toEqual([`${relative(installed.prefix, join(dir, 'bad.mts'))}: TS2322: Type 'number' is not assignable to type 'string'.`]);
}, 180_000);

test('without @types/node the declarations cannot be read, which is why the package names it as an optional peer dependency', async () => {
  const dir = consumerProject(installed, 'module', {
    'consumer.mts': API,
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false },
      files: ['consumer.mts'],
    }),
  });
  const errors = await tsc(dir);
  expect(errors).toContain(
    "node_modules/oauth-platform-sandbox/dist/core/http/body.d.ts: TS2307: Cannot find module 'node:http' or its corresponding type declarations.",
  );
  const manifest = JSON.parse(readFileSync(join(installed.prefix, 'node_modules', 'oauth-platform-sandbox', 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  expect({ peer: manifest.peerDependencies, meta: manifest.peerDependenciesMeta }).toEqual({
    peer: { '@types/node': '>=20' },
    meta: { '@types/node': { optional: true } },
  });
}, 180_000);
