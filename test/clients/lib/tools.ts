import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run as runProcess } from '../../helpers/processes.js';

/**
 * Client programs in the clients' own languages, run for real: Python with requests (and rsa, what the SOP
 * Python SDK signs with), Java with Jackson (the JSON reading of the Java clients) and OkHttp 3 (the SOP
 * Java SDK's HTTP client), and JUnit 5 for the docs' Java test, all from Debian packages. A missing tool fails the test with the line that
 * installs it: these tests never skip.
 */
export const DEBIAN_PACKAGES = 'apt-get install -y python3 python3-requests python3-rsa default-jdk-headless libjackson2-databind-java libokhttp-java junit5';

const HERE = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));

function missing(what: string, detail: string): Error {
  return new Error(`${what} is needed to run client programs in their own language (${detail}). Install it: ${DEBIAN_PACKAGES}`);
}

let pythonFound: string | undefined;
/** The first python3 with requests and rsa: the one on PATH, else Debian's (a pyenv or venv shim may come first). */
function checkPython(): string {
  if (pythonFound) return pythonFound;
  const tried: string[] = [];
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(candidate, ['-c', 'import requests, rsa'], { encoding: 'utf8' });
    if (!r.error && r.status === 0) return (pythonFound = candidate);
    tried.push(`${candidate}: ${r.error?.message ?? r.stderr.trim().split('\n').at(-1)}`);
  }
  throw missing('python3 with requests and rsa', tried.join('; '));
}

const JARS = ['jackson-databind', 'jackson-core', 'jackson-annotations', 'okhttp', 'okio'].map((j) => `/usr/share/java/${j}.jar`);
let javaChecked = false;
function checkJava(): void {
  if (javaChecked) return;
  for (const tool of ['java', 'javac']) {
    const r = spawnSync(tool, ['-version'], { encoding: 'utf8' });
    if (r.error) throw missing(`${tool} (a JDK)`, r.error.message);
  }
  const absent = JARS.filter((j) => !existsSync(j));
  if (absent.length) throw missing('Jackson and OkHttp', `not found: ${absent.join(', ')}`);
  javaChecked = true;
}

export interface Run {
  stdout: string;
  stderr: string;
}

async function run(cmd: string, args: string[], env: Record<string, string>): Promise<Run> {
  const r = await runProcess(cmd, args, { env: { ...process.env, ...env }, timeoutMs: 60_000 });
  if (r.code !== 0 || r.timedOut)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`}):\n${r.stderr}\n${r.stdout}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** Run test/clients/python/<script> with these args; `tz` is the client machine's time zone. Returns its JSON line. */
export async function python<T = Record<string, unknown>>(script: string, args: string[], tz = 'Asia/Shanghai'): Promise<T> {
  const python3 = checkPython();
  const { stdout } = await run(python3, [HERE(`python/${script}`), ...args], { TZ: tz, PYTHONIOENCODING: 'utf-8' });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

const compiled = new Map<string, Promise<string>>();

/** Compile test/clients/java/<Source>.java once per test file (javac), into a folder of its own. */
function compile(source: string): Promise<string> {
  let dir = compiled.get(source);
  if (!dir) {
    const out = mkdtempSync(join(tmpdir(), 'sandbox-java-client-'));
    dir = run('javac', ['-encoding', 'UTF-8', '-cp', JARS.join(':'), '-d', out, HERE(`java/${source}`)], {}).then(() => out);
    compiled.set(source, dir);
  }
  return dir;
}

// The console launcher brings the Jupiter engine through its manifest's Class-Path; javac needs only the API.
const JUNIT_API = ['junit-jupiter-api', 'junit-platform-commons', 'apiguardian-api', 'opentest4j'].map((j) => `/usr/share/java/${j}.jar`);
const JUNIT_LAUNCHER = '/usr/share/java/junit-platform-console-standalone.jar';

export interface JUnitRun extends Run {
  /** The console launcher's exit code: 0 when every test passed, 1 when one failed. */
  code: number | null;
}

/**
 * Compile a JUnit 5 test class kept elsewhere (a docs example written to `dir`) with the Debian jars; the
 * answer runs it with the JUnit console launcher, `properties` as -D options. A failed test is a result,
 * not an error: the caller asserts the exit code and the launcher's tree report.
 */
export async function junitClass(dir: string, source: string): Promise<(properties: Record<string, string>) => Promise<JUnitRun>> {
  checkJava();
  const absent = [...JUNIT_API, JUNIT_LAUNCHER].filter((j) => !existsSync(j));
  if (absent.length) throw missing('JUnit 5', `not found: ${absent.join(', ')}`);
  await run('javac', ['-encoding', 'UTF-8', '-cp', [...JARS, ...JUNIT_API].join(':'), '-d', dir, join(dir, source)], {});
  const name = source.replace(/\.java$/, '');
  return async (properties) => {
    const defines = Object.entries(properties).map(([k, v]) => `-D${k}=${v}`);
    const args = [...defines, '-Dfile.encoding=UTF-8', '-jar', JUNIT_LAUNCHER, '--class-path', [dir, ...JARS].join(':'), '--select-class', name];
    const r = await runProcess('java', [...args, '--details=tree', '--disable-banner', '--disable-ansi-colors'], { env: process.env, timeoutMs: 60_000 });
    if (r.timedOut) throw new Error(`java ${args.join(' ')} timed out:\n${r.stderr}\n${r.stdout}`);
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  };
}

/** For a program that makes a few requests and ends: the JVM's first compiler tier and one GC thread start it sooner. */
export const QUICK_JVM = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** Run test/clients/java/<Source>.java with the Debian jars; `tz` is the JVM's time zone, `jvm` more JVM options (-D...). Returns its JSON line. */
export async function java<T = Record<string, unknown>>(source: string, args: string[], tz = 'Asia/Shanghai', jvm: string[] = []): Promise<T> {
  checkJava();
  const classes = await compile(source);
  const { stdout } = await run(
    'java',
    ['-cp', [classes, ...JARS].join(':'), `-Duser.timezone=${tz}`, '-Dfile.encoding=UTF-8', ...jvm, source.replace(/\.java$/, ''), ...args],
    {},
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}
