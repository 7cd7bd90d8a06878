import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ConsumerProject } from './consumer.js';
import { ROOT, where, type Block } from './markdown.js';
import type { Step } from './plan.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { background, freePort, healthy, run, waitFor, type Background, type Result } from './processes.js';

/**
 * Runs one page's steps in order in the consumer project, against a sandbox of the page's own. The
 * docs write the default address 127.0.0.1:8848; the sandbox under test listens on a free port P, and
 * the one rule that connects them: in every block that runs, the number 8848 becomes P, and in what a
 * block prints, P becomes 8848 again before it is compared.
 */

export const DEFAULT_PORT = 8848;
const BLOCK_TIMEOUT_MS = 90_000;

/** The text of a block as it runs: 8848 (standing alone, not inside a longer number or word) becomes `port`. */
export const toPort = (text: string, port: number): string => text.replace(/(?<![\w.])8848(?!\w)/g, String(port));
/** `npm install` / `npm i` of the package installs the packed tarball of the checkout under test. */
export const toTarball = (script: string, tarball: string): string =>
  script.replace(/^([ \t]*npm\s+(?:i|install|add)\b[^\n#]*?)(?<![\w./-])oauth-platform-sandbox(?![\w./@-])/gm, `$1${tarball}`);

/** Does the text name the default port (standing alone, as `toPort` moves it)? */
export const namesPort = (text: string): boolean => /(?<![\w.])8848(?!\w)/.test(text);

/**
 * Whether the page needs a sandbox of the harness's own: a block runs code (which may call the sandbox at 8848) or
 * names the port before the page starts a sandbox of its own. If a server block comes first, one would be started
 * and stopped unused.
 */
export function needsPageSandbox(steps: Step[]): boolean {
  for (const step of steps) {
    if (step.kind === 'server') return false;
    if (step.kind === 'shell' || step.kind === 'program' || step.blocks.some((b) => namesPort(b.code))) return true;
  }
  return false;
}

/** What a block printed, as the docs show it: `port` becomes 8848 again. */
export const fromPort = (text: string, port: number): string => text.replace(new RegExp(`(?<![\\w.])${port}(?!\\w)`, 'g'), String(DEFAULT_PORT));

/** The Redis the docs name (the default address); a page that names it gets a redis-server of its own on a free port. */
export const DEFAULT_REDIS = '127.0.0.1:6379';
export const usesRedis = (text: string): boolean => text.includes(`redis://${DEFAULT_REDIS}`);

/**
 * Does `actual` read as the documented `expected`? Lines are compared exactly (trailing spaces aside);
 * `…` inside a line stands for any text on that line, and a line that is only `…` for any number of lines.
 */
export function matchesOutput(expected: string, actual: string): boolean {
  const norm = (s: string) => s.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = norm(expected)
    .split('\n')
    .map((line) => (line.trim() === '…' ? '(?:[^\\n]*\\n)*?[^\\n]*' : line.split('…').map(escape).join('[^\\n]*?')))
    .join('\\n');
  return new RegExp(`^${pattern}$`).test(norm(actual));
}

/** Where a program block is saved: the path its first line names (`// sop-example.mjs`), else one of the test's own. */
export function programPath(blocks: Block[], language: 'js' | 'ts'): string {
  const named = /^\/\/\s*([\w./-]+\.(?:mjs|cjs|js|ts|mts))\b/.exec(blocks[0]?.code ?? '');
  if (named) return named[1] as string;
  const first = blocks[0] as Block;
  return `doc-${first.page.replace(/[^\w]+/g, '-')}-${first.line}.${language === 'ts' ? 'ts' : 'mjs'}`;
}

export class PageRun {
  private sandbox?: Background;
  private port = 0;
  private redis?: RedisServer;
  private readonly results = new Map<Step, Result>();
  /** TypeScript the page shows, type-checked together at the end: programs as ES modules, files at their own path. */
  readonly typescript: { path: string; code: string; program: boolean }[] = [];
  private readonly tmp = mkdtempSync(join(tmpdir(), 'sandbox-docs-page-'));

  constructor(
    private readonly project: ConsumerProject,
    readonly page: string,
  ) {}

  /**
   * A clean project and a sandbox of the page's own, started from the installed package's CLI; a Redis too when the page names one.
   * `sandbox: false` when the page does not need it (`needsPageSandbox`).
   */
  async start(opts: { redis?: boolean; sandbox?: boolean } = {}): Promise<void> {
    this.project.clean();
    if (opts.redis) this.redis = await startRedis();
    if (opts.sandbox ?? true) await this.startSandbox();
  }

  /** A block's text as it runs here: the page's sandbox port for 8848, the page's Redis for 127.0.0.1:6379. */
  private local(text: string): string {
    const moved = toPort(text, this.port);
    return this.redis ? moved.split(DEFAULT_REDIS).join(`127.0.0.1:${this.redis.port}`) : moved;
  }

  /** What a block printed, as the docs show it. */
  private shown(text: string): string {
    const back = fromPort(text, this.port);
    return this.redis ? back.split(`127.0.0.1:${this.redis.port}`).join(DEFAULT_REDIS) : back;
  }

  private async startSandbox(): Promise<void> {
    const portFile = join(this.tmp, `port-${Date.now()}`);
    const bin = join(this.project.dir, 'node_modules', 'oauth-platform-sandbox', 'bin', 'sandbox.js');
    const sb = background(process.execPath, [bin, 'start', '--port', '0', '--port-file', portFile, '--quiet'], {
      cwd: this.project.dir,
      env: this.project.env,
    });
    this.sandbox = sb;
    const portOf = () => {
      try {
        return Number(readFileSync(portFile, 'utf8').trim()) || 0;
      } catch {
        return 0;
      }
    };
    await waitFor(
      'the page sandbox',
      async () => (this.port = portOf()) > 0 && healthy(`http://127.0.0.1:${this.port}`),
      () => sb.ended(),
      30_000,
    );
  }

  async stop(): Promise<void> {
    await this.sandbox?.stop();
    this.sandbox = undefined;
    await this.redis?.stop();
    this.redis = undefined;
    rmSync(this.tmp, { recursive: true, force: true });
  }

  private write(path: string, text: string): string {
    const file = join(this.project.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  private shell(script: string): Promise<Result> {
    return run('bash', ['-o', 'pipefail', '-e', '-c', toTarball(script, this.project.tarball)], {
      cwd: this.project.dir,
      env: this.project.env,
      timeoutMs: BLOCK_TIMEOUT_MS,
    });
  }

  /** Run one step; throws with what went wrong, for the test to report. */
  async runStep(step: Step, next: Step | undefined): Promise<void> {
    const code = step.blocks.map((b) => b.code).join('\n');
    const expectExit = next?.kind === 'output' && next.of === step ? next.exit : 0;
    const settle = (what: string, r: Result) => {
      this.results.set(step, r);
      if (r.timedOut || r.code !== expectExit)
        throw new Error(
          `${what} ${r.timedOut ? 'did not finish' : `exited ${r.code} (expected ${expectExit})`}\n--- stdout\n${this.shown(r.stdout)}\n--- stderr\n${this.shown(r.stderr)}`,
        );
    };
    switch (step.kind) {
      case 'shell':
        return settle('the shell block', await this.shell(this.local(code)));
      case 'program': {
        const path = programPath(step.blocks, step.language);
        let run = path;
        if (step.language === 'ts') {
          this.typescript.push({ path, code, program: true });
          // Loaded here, not at the top: it costs a worker half a second of CPU, and most pages (and harness.test.ts) have no TypeScript.
          const { default: ts } = await import('typescript');
          const js = ts.transpileModule(this.local(code), {
            compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
          }).outputText;
          run = join('.doc-test', `${basename(path).replace(/\.[cm]?ts$/, '')}-${step.blocks[0]?.line}.mjs`);
          this.write(run, js);
        } else {
          this.write(path, this.local(code));
        }
        return settle(`node ${path}`, await this.shell(`node ${JSON.stringify(run)}`));
      }
      case 'file': {
        const text = this.local(code);
        this.write(step.path, text);
        if (/\.[cm]?ts$/.test(step.path)) this.typescript.push({ path: step.path, code, program: false });
        if (step.path.endsWith('.json')) {
          const parsed = JSON.parse(text) as unknown;
          if (typeof parsed !== 'object' || parsed === null) throw new Error(`${step.path} is not a JSON object`);
          if (!/(^|\/)(package|tsconfig[\w.-]*)\.json$/.test(step.path)) await this.validate(step.path);
        }
        return;
      }
      case 'json': {
        const path = join('.doc-test', `block-${step.blocks[0].line}.json`);
        this.write(path, code);
        return this.validate(path);
      }
      case 'server':
        return this.server(code);
      case 'output': {
        const r = this.results.get(step.of);
        if (!r) throw new Error(`${where(step.of.blocks[0] as Block)} did not run`);
        const actual = this.shown(step.stream === 'stdout' ? r.stdout : r.stderr);
        if (!matchesOutput(code, actual))
          throw new Error(`the ${step.stream} differs from the documented output\n--- documented\n${code}--- printed\n${actual}`);
        return;
      }
      case 'not-run':
      case 'delegated':
        return;
      case 'error':
        throw new Error(`${where(step.blocks[0])}: ${step.problem}`);
    }
  }

  /**
   * The installed CLI's `sandbox validate FILE` must accept a fixture or scenario file the docs show. This check
   * is the test's own, not a command of the docs, so it runs the bin with node directly (npx adds a second).
   */
  private async validate(path: string): Promise<void> {
    const bin = join('node_modules', 'oauth-platform-sandbox', 'bin', 'sandbox.js');
    const r = await run(process.execPath, [bin, 'validate', path], { cwd: this.project.dir, env: this.project.env, timeoutMs: BLOCK_TIMEOUT_MS });
    if (r.code !== 0) throw new Error(`sandbox validate ${path} refused it:\n${r.stdout}${r.stderr}`);
  }

  /** A block that starts a sandbox of its own replaces the page's sandbox for the blocks after it. */
  private async server(code: string): Promise<void> {
    if (!namesPort(code)) throw new Error('a server block must name the port (--port 8848), so the docs test can move it to a free one');
    await this.sandbox?.stop();
    this.port = await freePort();
    const sb = background('bash', ['-e', '-c', toTarball(this.local(code), this.project.tarball)], { cwd: this.project.dir, env: this.project.env });
    this.sandbox = sb;
    await waitFor(
      'the sandbox the block starts',
      () => healthy(`http://127.0.0.1:${this.port}`),
      () => sb.ended(),
      30_000,
    );
  }

  /** `tsc --noEmit`, strict, over every TypeScript block of the page, with the installed package's types. */
  async typecheck(): Promise<void> {
    if (this.typescript.length === 0) return;
    const dir = '.doc-typecheck';
    const files = this.typescript.map(({ path, code, program }, i) => {
      // Programs are checked as the ES modules they run as; files at their own path, as the reader saves them.
      const target = program ? join(dir, `${i}-${basename(path).replace(/\.[cm]?ts$/, '.mts')}`) : path;
      this.write(target, code);
      return target;
    });
    const config = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(this.project.dir, 'node_modules', '@types'), join(ROOT, 'node_modules', '@types')],
      },
      files,
    };
    this.write('tsconfig.doc-typecheck.json', JSON.stringify(config, null, 2));
    const r = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.doc-typecheck.json'], {
      cwd: this.project.dir,
      env: this.project.env,
      timeoutMs: BLOCK_TIMEOUT_MS,
    });
    if (r.code !== 0) throw new Error(`tsc refused the page's TypeScript:\n${r.stdout}${r.stderr}`);
  }
}
