import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file per responsibility: in the folders that were split for growing past it (issue 20), a source
 * file of more than MAX_LINES lines is a sign it holds two things. Split it by concern, as
 * admin/routes/, control/'s domains or the scenario schemas were, rather than raising the bound.
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const MAX_LINES = 300;
const FOLDERS = ['admin', 'control', 'core/scenarios', 'core/state', 'cli/process'];
/** The composition root, which grew past the bound twice as the server around it did. */
const FILES = ['sandbox.ts'];

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

test(`no source file in ${[...FOLDERS, ...FILES].join(', ')} is over ${MAX_LINES} lines`, () => {
  const files = [...FOLDERS.flatMap((f) => sources(join(SRC, f))), ...FILES.map((f) => join(SRC, f))];
  // The scan must have seen the tree (a wrong root would pass vacuously).
  expect(files.length).toBeGreaterThan(60);
  const over = files
    .map((f) => ({ file: `src/${relative(SRC, f).split('\\').join('/')}`, lines: lineCount(readFileSync(f, 'utf8')) }))
    .filter((f) => f.lines > MAX_LINES)
    .map((f) => `${f.file}: ${f.lines} lines`);
  expect(over).toEqual([]);
});
