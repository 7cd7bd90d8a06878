import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { docPages, ROOT } from './markdown.js';

/**
 * The docs stand on their own: nothing points at a document outside the repository, every link between
 * the docs reaches a file and a heading that exist, and every docs/…md#anchor a source comment names exists.
 */

const walk = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

/** GitHub's heading anchors: lower case, punctuation dropped (letters, digits, _ and - kept), spaces → -, repeats numbered. */
export function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const h = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = (h[1] as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}_ -]/gu, '')
      .replace(/ /g, '-');
    let slug = base;
    for (let n = 1; out.has(slug); n++) slug = `${base}-${n}`;
    out.add(slug);
  }
  return out;
}

/** The repository's web address (package.json homepage without #readme): links into it are checked as local files. */
const REPO = ((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { homepage?: string }).homepage ?? '').replace(/#readme$/, '');

const anchorsOf = (file: string) => anchors(readFileSync(join(ROOT, file), 'utf8'));

/** Does `target` (a path relative to the repository root, with an optional #anchor) exist? The problem, or undefined. */
function broken(target: string): string | undefined {
  const [path = '', anchor] = target.split('#');
  if (!existsSync(join(ROOT, path))) return 'no such file';
  if (anchor !== undefined && path.endsWith('.md') && !anchorsOf(path).has(anchor)) return `no heading #${anchor}`;
  return undefined;
}

test('nothing in the repository (docs, code, tests, bench, scripts) points at a document outside it', () => {
  const here = relative(ROOT, new URL(import.meta.url).pathname);
  const files = [
    'README.md',
    'CHANGELOG.md',
    'Dockerfile',
    ...['docs', 'src', 'ui', 'test', 'bench', 'scripts', 'bin', 'fixtures', 'scenarios', 'schemas', '.ci'].flatMap(walk),
  ].filter((f) => f !== here && /\.(md|ts|js|cjs|mjs|json|html|css|py|java|sh)$|Dockerfile$|\/run$/.test(f) && !f.startsWith('bench/results'));
  const outside = /shared\/[A-Z]+\.md|PROTOCOLS|Seed 00[0-9]|§\s?\d/;
  const hits = files.flatMap((f) =>
    readFileSync(join(ROOT, f), 'utf8')
      .split('\n')
      .flatMap((line, i) => (outside.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(hits).toEqual([]);
});

test('every link between the pages of README.md and docs/ (relative, or absolute into the repository) reaches a file and a heading that exist', () => {
  const problems: string[] = [];
  for (const page of docPages()) {
    const text = readFileSync(join(ROOT, page), 'utf8').replace(/```[^]*?```/g, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = m[1] as string;
      const inRepo = REPO && new RegExp(`^${REPO.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:blob|raw)/main/(.*)$`).exec(link);
      if (!inRepo && /^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // another site, mailto:
      const target = inRepo ? (inRepo[1] as string) : link.startsWith('#') ? `${page}${link}` : relative(ROOT, join(ROOT, dirname(page), link));
      const why = broken(target);
      if (why) problems.push(`${page}: (${link}): ${why}`);
    }
  }
  expect(problems).toEqual([]);
});

test('every docs/…md#anchor that a source comment names exists', () => {
  const named = [...walk('src'), ...walk('ui')].flatMap((f) =>
    [...readFileSync(join(ROOT, f), 'utf8').matchAll(/\b(docs\/[\w/.-]+\.md(?:#[\w-]+)?)/g)].map((m) => [f, m[1] as string]),
  );
  expect(named.length).toBeGreaterThan(20);
  expect(named.flatMap(([f, target]) => (broken(target as string) ? [`${f}: ${target}: ${broken(target as string)}`] : []))).toEqual([]);
});

test('heading anchors are made as GitHub makes them', () => {
  expect([
    ...anchors('# `sop` — SOP\n## Policy: how tokens live and die\n## Errors\n### Errors\n```\n# not a heading\n```\n## Tokens: `open.auth.token.app` 1.0'),
  ]).toEqual(['sop--sop', 'policy-how-tokens-live-and-die', 'errors', 'errors-1', 'tokens-openauthtokenapp-10']);
});
