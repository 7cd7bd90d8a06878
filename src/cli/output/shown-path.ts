import { isAbsolute, relative } from 'node:path';

/** A path as messages show it: relative to the working directory when inside it, else absolute (as given). */
export function shownPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  // On Windows a path on another drive comes back absolute.
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
