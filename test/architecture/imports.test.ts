import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The layering of src/, checked on every import (static, re-exports, `import type` and dynamic
 * `import()` alike, as TypeScript's own pre-processor reads them), in the spirit of WireMock's
 * ArchUnit tests:
 *  - a platform folder never imports another platform folder;
 *  - src/core imports no platform, and nothing of src/cli, src/admin or src/control;
 *  - src/cli, src/admin and src/control reach platforms only through the registry, src/platforms/index.ts.
 * A violation fails with the importing file, the import as written, and the rule it breaks.
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

export interface Import {
  /** The importing file, relative to src/ with '/' separators. */
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** The imported file, relative to src/ ('' for a package). */
  target: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

const posix = (p: string) => p.split(sep).join('/');

/** Every import of one file's text, resolved relative to src/ (a package import has no target). */
export function importsOf(file: string, text: string): Import[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map(({ fileName: specifier }) => {
    const target = specifier.startsWith('.') ? posix(relative(SRC, resolve(SRC, dirname(file), specifier))).replace(/\.js$/, '.ts') : '';
    return { from: file, specifier, target };
  });
}

const layer = (path: string): string => path.split('/')[0];
/** The platform folder a path is in ('mantun' for platforms/mantun/...), or undefined (the registry included). */
const platformOf = (path: string): string | undefined => {
  const parts = path.split('/');
  return parts[0] === 'platforms' && parts.length > 2 ? parts[1] : undefined;
};
const REGISTRY = 'platforms/index.ts';

/** The rules, as messages for the imports that break them. */
export function violations(imports: readonly Import[]): string[] {
  const out: string[] = [];
  for (const i of imports) {
    if (!i.target) continue;
    const said = `src/${i.from} imports '${i.specifier}' (src/${i.target})`;
    const fromPlatform = platformOf(i.from);
    const toPlatform = platformOf(i.target);
    if (fromPlatform && toPlatform && fromPlatform !== toPlatform) out.push(`${said}: a platform folder never imports another platform folder`);
    if (layer(i.from) === 'core' && ['platforms', 'cli', 'admin', 'control'].includes(layer(i.target)))
      out.push(`${said}: src/core imports no platform, and nothing of src/cli, src/admin or src/control`);
    if (['cli', 'admin', 'control'].includes(layer(i.from)) && layer(i.target) === 'platforms' && i.target !== REGISTRY)
      out.push(`${said}: src/${layer(i.from)} reaches platforms only through the registry, src/${REGISTRY}`);
  }
  return out;
}

const all = (): Import[] => sourceFiles(SRC).flatMap((path) => importsOf(posix(relative(SRC, path)), readFileSync(path, 'utf8')));

test('src/ keeps its layers: no import breaks a rule', () => {
  const imports = all();
  // The scan itself must have seen the tree (a wrong root would pass vacuously).
  expect(imports.filter((i) => i.target === REGISTRY).length).toBeGreaterThan(0);
  expect(imports.length).toBeGreaterThan(300);
  expect(violations(imports)).toEqual([]);
});

test('each rule names the file and the import that break it', () => {
  const broken = [
    ...importsOf('platforms/sop/gateway.ts', "import { mantunSign } from '../mantun/signing.js';"),
    ...importsOf('core/world.ts', "import type { AnyPlatform } from '../platforms/index.js';\nconst m = await import('../cli/main.js');"),
    ...importsOf('admin/router.ts', "export { zjrc } from '../platforms/zjrc/index.js';"),
    ...importsOf('control/service.ts', "import { PLATFORMS } from '../platforms/index.js';"),
    ...importsOf('platforms/sop/index.ts', "import { refuse } from '../../core/errors/protocol-error.js';\nimport { z } from 'zod';"),
  ];
  expect(violations(broken)).toEqual([
    "src/platforms/sop/gateway.ts imports '../mantun/signing.js' (src/platforms/mantun/signing.ts): a platform folder never imports another platform folder",
    "src/core/world.ts imports '../platforms/index.js' (src/platforms/index.ts): src/core imports no platform, and nothing of src/cli, src/admin or src/control",
    "src/core/world.ts imports '../cli/main.js' (src/cli/main.ts): src/core imports no platform, and nothing of src/cli, src/admin or src/control",
    "src/admin/router.ts imports '../platforms/zjrc/index.js' (src/platforms/zjrc/index.ts): src/admin reaches platforms only through the registry, src/platforms/index.ts",
  ]);
});
