import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { installedPackage, type Installed } from './support/installed.js';

/**
 * The docs travel with the package: every link of the installed README to a page of docs/ (written as the
 * repository's web address, which a user offline or behind a proxy may not reach) is a file of the installed
 * package, and so is every link between the pages, down to the heading an anchor names.
 */

const REPO_DOCS = 'https://github.com/oauth-platform-sandbox/oauth-platform-sandbox/';

let installed: Installed;
let pkg: string;
beforeAll(async () => {
  installed = await installedPackage();
  pkg = join(installed.prefix, 'node_modules', 'oauth-platform-sandbox');
}, 180_000);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** Every link target of a Markdown text (inline links and images). */
const links = (text: string): string[] => [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);

/** Where a link leads inside the installed package, or why it leads nowhere. */
function broken(fromFile: string, target: string): string | undefined {
  const [path, anchor] = target.split('#');
  const file = normalize(join(dirname(fromFile), path));
  if (!existsSync(file)) return `${relative(pkg, fromFile)} → ${target}: no such file in the package`;
  if (anchor && file.endsWith('.md')) {
    const headings = [...readFileSync(file, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]));
    if (!headings.includes(anchor)) return `${relative(pkg, fromFile)} → ${target}: no heading "${anchor}"`;
  }
  return undefined;
}

test('every README link into docs/ is a file of the installed package (and its anchor a heading there)', () => {
  const readme = join(pkg, 'README.md');
  const toDocs = links(readFileSync(readme, 'utf8'))
    .filter((l) => l.startsWith(`${REPO_DOCS}blob/main/docs/`) || l.startsWith(`${REPO_DOCS}raw/main/docs/`) || l.startsWith('docs/'))
    .map((l) => l.replace(/^https:\/\/github\.com\/oauth-platform-sandbox\/oauth-platform-sandbox\/(blob|raw)\/main\//, ''));
  expect(toDocs.length).toBeGreaterThanOrEqual(10);
  expect(toDocs.map((l) => broken(readme, l)).filter(Boolean)).toEqual([]);
});

test('every link between the pages of docs/ resolves inside the installed package', () => {
  const pages = (readdirSync(join(pkg, 'docs'), { recursive: true }) as string[]).filter((p) => p.endsWith('.md')).map((p) => join(pkg, 'docs', p));
  expect(pages.length).toBeGreaterThanOrEqual(10);
  const inside = pages.flatMap((page) =>
    links(readFileSync(page, 'utf8'))
      .filter((l) => !/^[a-z]+:/.test(l) && !l.startsWith('#'))
      // Links out of docs/ point into the repository (benchmarks, tests), which the package does not hold.
      .filter((l) => normalize(join(dirname(page), l.split('#')[0])).startsWith(join(pkg, 'docs')))
      .map((l) => [page, l] as const),
  );
  expect(inside.length).toBeGreaterThanOrEqual(10);
  expect(inside.map(([page, l]) => broken(page, l)).filter(Boolean)).toEqual([]);
});
