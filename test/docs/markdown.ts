import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The fenced code blocks of the docs and what the docs test does with each, read from the block's
 * info string and an optional marker comment on the line just above its opening fence:
 *
 *   <!-- doc-test: file bugs/ticket-4711.json -->   the reader saves the block as that file
 *   <!-- doc-test: continue -->                     the block goes on with the previous one (one program)
 *   <!-- doc-test: output -->                       what the previous block prints (also: exit=N, stderr)
 *   <!-- doc-test: server -->                       the block starts a sandbox that keeps running
 *   <!-- doc-test: skip REASON -->                  not run, for the reason given (say why)
 *   <!-- recipe: jest/PATH -->                      a file of the Jest recipe, run by test/packaging/jest-recipe.test.ts
 *
 * docs/doc-tests.md explains the rules to people who write docs; this file and run-page.ts implement them.
 */

export type Language = 'shell' | 'js' | 'ts' | 'json' | 'text' | 'other';

export type Marker =
  | { kind: 'none' }
  | { kind: 'file'; path: string }
  | { kind: 'continue' }
  | { kind: 'output'; exit: number; stream: 'stdout' | 'stderr' }
  | { kind: 'server' }
  | { kind: 'skip'; reason: string }
  | { kind: 'recipe'; recipe: string; path: string }
  | { kind: 'invalid'; problem: string };

export interface Block {
  /** The page, relative to the repository root (README.md, docs/platforms/sop.md). */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string as written (```sh → "sh"). */
  info: string;
  language: Language;
  marker: Marker;
  /** The text between the fences, with a final newline. */
  code: string;
}

const LANGUAGES: Record<string, Language> = {
  sh: 'shell',
  bash: 'shell',
  shell: 'shell',
  js: 'js',
  mjs: 'js',
  cjs: 'js',
  javascript: 'js',
  ts: 'ts',
  typescript: 'ts',
  json: 'json',
  text: 'text',
};

const MARKER = /^<!--\s*doc-test:\s*(.*?)\s*-->$/;
const RECIPE = /^<!--\s*recipe:\s*([\w-]+)\/(\S+)\s*-->$/;

export function parseMarker(line: string): Marker {
  const recipe = RECIPE.exec(line.trim());
  if (recipe) return { kind: 'recipe', recipe: recipe[1] as string, path: recipe[2] as string };
  const m = MARKER.exec(line.trim());
  if (!m) return { kind: 'none' };
  const [word = '', ...rest] = (m[1] as string).split(/\s+/);
  const args = rest.join(' ');
  switch (word) {
    case 'file':
      return rest.length === 1 && !/^\/|\.\./.test(args)
        ? { kind: 'file', path: args }
        : { kind: 'invalid', problem: `"file" takes one relative path, got "${args}"` };
    case 'continue':
      return args ? { kind: 'invalid', problem: '"continue" takes nothing' } : { kind: 'continue' };
    case 'server':
      return args ? { kind: 'invalid', problem: '"server" takes nothing' } : { kind: 'server' };
    case 'skip':
      return args ? { kind: 'skip', reason: args } : { kind: 'invalid', problem: '"skip" needs a reason: <!-- doc-test: skip why it cannot run -->' };
    case 'output': {
      let exit = 0;
      let stream: 'stdout' | 'stderr' = 'stdout';
      for (const arg of rest) {
        const e = /^exit=(\d+)$/.exec(arg);
        if (e) exit = Number(e[1]);
        else if (arg === 'stderr') stream = 'stderr';
        else return { kind: 'invalid', problem: `"output" takes exit=N and stderr, got "${arg}"` };
      }
      return { kind: 'output', exit, stream };
    }
    default:
      return { kind: 'invalid', problem: `unknown directive "${word}" (file, continue, output, server, skip)` };
  }
}

export function parseBlocks(page: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)(.*)$/.exec(lines[i] as string);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j] as string;
      if (l.trim().startsWith(fence) && l.trim().replace(/[`~]/g, '') === '') break;
      body.push(indent && l.startsWith(indent) ? l.slice(indent.length) : l);
    }
    blocks.push({
      page,
      line: i + 1,
      info,
      language: info === '' ? 'other' : (LANGUAGES[info] ?? 'other'),
      marker: i > 0 ? parseMarker(lines[i - 1] as string) : { kind: 'none' },
      code: `${body.join('\n')}\n`,
    });
    i = j;
  }
  return blocks;
}

export const ROOT = new URL('../../', import.meta.url).pathname;

/** README.md and every page under docs/, in a stable order. */
export function docPages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
  return ['README.md', ...walk('docs')].map((p) => relative(ROOT, join(ROOT, p)));
}

export function pageBlocks(page: string): Block[] {
  return parseBlocks(page, readFileSync(join(ROOT, page), 'utf8'));
}

export const where = (b: Block): string => `${b.page}:${b.line}`;
