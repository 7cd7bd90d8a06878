import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOnce } from '../../helpers/build-once.js';
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

/**
 * Run a tool to check it is there: its exit code and what it said, or why it could not start. Not blocking
 * the event loop: a check starts while other programs of the test talk to the in-process sandbox.
 */
async function probe(cmd: string, args: string[]): Promise<{ code: number | null; said: string } | { error: string }> {
  try {
    const r = await runProcess(cmd, args, { timeoutMs: 60_000 });
    return { code: r.code, said: `${r.stdout}${r.stderr}` };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

let pythonFound: Promise<string> | undefined;
/** The first python3 with requests and rsa: the one on PATH, else Debian's (a pyenv or venv shim may come first). */
function checkPython(): Promise<string> {
  pythonFound ??= (async () => {
    const tried: string[] = [];
    for (const candidate of ['python3', '/usr/bin/python3']) {
      const r = await probe(candidate, ['-c', 'import requests, rsa']);
      if ('code' in r && r.code === 0) return candidate;
      tried.push(`${candidate}: ${'error' in r ? r.error : r.said.trim().split('\n').at(-1)}`);
    }
    throw missing('python3 with requests and rsa', tried.join('; '));
  })();
  return pythonFound;
}

const JARS = ['jackson-databind', 'jackson-core', 'jackson-annotations', 'okhttp', 'okio'].map((j) => `/usr/share/java/${j}.jar`);
let javacVersion: Promise<string> | undefined;
/** Whether the JDK and the jars are there; resolves to what `javac -version` says (a new JDK compiles anew). */
function checkJava(): Promise<string> {
  javacVersion ??= (async () => {
    const [java, javac] = await Promise.all([probe('java', ['-version']), probe('javac', ['-version'])]);
    if ('error' in java) throw missing('java (a JDK)', java.error);
    if ('error' in javac) throw missing('javac (a JDK)', javac.error);
    const absent = JARS.filter((j) => !existsSync(j));
    if (absent.length) throw missing('Jackson and OkHttp', `not found: ${absent.join(', ')}`);
    return javac.said.trim();
  })();
  return javacVersion;
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
  const python3 = await checkPython();
  const { stdout } = await run(python3, [HERE(`python/${script}`), ...args], { TZ: tz, PYTHONIOENCODING: 'utf-8' });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Outside the repository, one folder per checkout: two checkouts on one machine (git worktrees, CI jobs) would
// otherwise remove each other's classes while they are in use, as each removes the builds of its earlier sources.
const CLASSES_HOME = join(tmpdir(), `oauth-platform-sandbox-java-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`);

const compiled = new Map<string, Promise<string>>();

/**
 * `source` (its text `text`) compiled by javac against `classpath`, once for every test file of a run and of
 * later runs while the text, the jars and the JDK stay the same: javac costs about 2 s of CPU a time, and
 * several test files run the same client programs. The first test file to get here compiles under a lock,
 * the others wait for its `ready`. Resolves to the folder of the classes.
 */
async function compiledOnce(source: string, text: string, classpath: string[]): Promise<string> {
  const version = await checkJava();
  const hash = createHash('sha256').update(`${source}\0${text}\0${version}\0`);
  for (const jar of classpath) {
    const st = statSync(jar);
    hash.update(`${jar}\0${st.size}\0${st.mtimeMs}\n`);
  }
  const name = source.replace(/\.java$/, '');
  const key = `${name}-${hash.digest('hex').slice(0, 16)}`;
  let classes = compiled.get(key);
  if (!classes) {
    classes = build(name, key, source, text, classpath);
    compiled.set(key, classes);
  }
  return classes;
}

async function build(name: string, key: string, source: string, text: string, classpath: string[]): Promise<string> {
  const dir = join(CLASSES_HOME, key);
  mkdirSync(CLASSES_HOME, { recursive: true });
  await buildOnce(
    join(dir, 'ready'),
    `${dir}.lock`,
    async () => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      // The text the key was made of, not the file as it may be by now.
      const file = join(dir, source);
      writeFileSync(file, text);
      await run('javac', ['-encoding', 'UTF-8', '-cp', classpath.join(':'), '-d', dir, file], {});
      // Builds of this source's earlier texts (or of other jars or another JDK) are of no more use.
      for (const old of readdirSync(CLASSES_HOME))
        if (old.startsWith(`${name}-`) && old !== key && !old.endsWith('.lock')) rmSync(join(CLASSES_HOME, old), { recursive: true, force: true });
      return '';
    },
    { what: `the classes of ${source}`, staleMs: 300_000, waitMs: 180_000 },
  );
  return dir;
}

/** test/clients/java/<Source>.java, compiled once (compiledOnce) with the Debian jars. */
const compile = (source: string): Promise<string> => compiledOnce(source, readFileSync(HERE(`java/${source}`), 'utf8'), JARS);

/** For a program that makes a few requests and ends: the JVM's first compiler tier and one GC thread start it sooner. */
export const QUICK_JVM = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

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
  await checkJava();
  const absent = [...JUNIT_API, JUNIT_LAUNCHER].filter((j) => !existsSync(j));
  if (absent.length) throw missing('JUnit 5', `not found: ${absent.join(', ')}`);
  const classes = await compiledOnce(source, readFileSync(join(dir, source), 'utf8'), [...JARS, ...JUNIT_API]);
  const name = source.replace(/\.java$/, '');
  return async (properties) => {
    const defines = Object.entries(properties).map(([k, v]) => `-D${k}=${v}`);
    const args = [
      ...defines,
      ...QUICK_JVM,
      '-Dfile.encoding=UTF-8',
      '-jar',
      JUNIT_LAUNCHER,
      '--class-path',
      [classes, ...JARS].join(':'),
      '--select-class',
      name,
    ];
    const r = await runProcess('java', [...args, '--details=tree', '--disable-banner', '--disable-ansi-colors'], { env: process.env, timeoutMs: 60_000 });
    if (r.timedOut) throw new Error(`java ${args.join(' ')} timed out:\n${r.stderr}\n${r.stdout}`);
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  };
}

/** Run test/clients/java/<Source>.java with the Debian jars; `tz` is the JVM's time zone, `jvm` more JVM options (-D...). Returns its JSON line. */
export async function java<T = Record<string, unknown>>(source: string, args: string[], tz = 'Asia/Shanghai', jvm: string[] = []): Promise<T> {
  await checkJava();
  const classes = await compile(source);
  const { stdout } = await run(
    'java',
    ['-cp', [classes, ...JARS].join(':'), `-Duser.timezone=${tz}`, '-Dfile.encoding=UTF-8', ...jvm, source.replace(/\.java$/, ''), ...args],
    {},
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}
