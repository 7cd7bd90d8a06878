import { readFileSync } from 'node:fs';
import { packagePath } from '../../core/config/package-root.js';

/** Where a person reads more: the README on the repository's site (package.json "homepage"). */
export function docsUrl(): string {
  try {
    const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { homepage?: string };
    if (pkg.homepage) return pkg.homepage;
  } catch {
    // Fall through to the copy that ships with the package.
  }
  return packagePath('README.md');
}
