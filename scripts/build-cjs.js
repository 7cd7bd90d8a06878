#!/usr/bin/env node
// Part of `npm run build`: the CommonJS build in dist/cjs/, for `require('oauth-platform-sandbox')`
// (Jest and ts-jest setups in CommonJS). Each source file is transpiled on its own (the ESM build has
// type-checked them all) with three changes:
//  - import.meta.url becomes the URL of the file's ESM twin in dist/, so paths found from it (the
//    package folder, the dashboard, the built-in fixture cache) are the same in both builds;
//  - a module that imports an ESM-only package (lowdb) cannot be require()d on Node 22.0-22.11, so
//    the dynamic import() that loads it loads its ESM twin instead, through a real import();
//  - every other import() becomes require(), as TypeScript does for CommonJS.
// The CLI (src/cli) is not part of it: bin/sandbox.js runs the ESM build.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const ESM = join(ROOT, 'dist');
const OUT = join(ESM, 'cjs');
const LEFT_OUT = ['cli'];
const LOADER = 'load-esm.js';

const walk = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
const posix = (p) => p.split('\\').join('/');

/** A dependency with no CommonJS entry ("require" condition, or a CommonJS main). */
function esmOnly(name) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
  const hasRequire = JSON.stringify(pkg.exports ?? {}).includes('"require"');
  return pkg.type === 'module' && !hasRequire;
}
const dependencies = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies ?? {});
const ESM_ONLY = dependencies.filter(esmOnly);
const isEsmOnly = (specifier) => ESM_ONLY.some((d) => specifier === d || specifier.startsWith(`${d}/`));

const sources = walk(SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !LEFT_OUT.includes(relative(SRC, f).split(/[\\/]/)[0]));
const sourceText = new Map(sources.map((f) => [f, readFileSync(f, 'utf8')]));

/** Files that import an ESM-only package themselves: these are loaded from the ESM build. */
function importsEsmOnly(file) {
  const info = ts.preProcessFile(sourceText.get(file) ?? '', true, true);
  return info.importedFiles.map((i) => i.fileName).filter(isEsmOnly);
}

const twinOf = (file) => join(ESM, relative(SRC, file).replace(/\.ts$/, '.js'));
const outOf = (file) => join(OUT, relative(SRC, file).replace(/\.ts$/, '.js'));

function transformer(file) {
  const outDir = dirname(outOf(file));
  return (context) => {
    const f = context.factory;
    const requireCall = (spec) => f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral(spec)]);
    /** `require("node:url").pathToFileURL(require("node:path").join(__dirname, rel)).href` */
    const twinUrl = (rel) =>
      f.createPropertyAccessExpression(
        f.createCallExpression(f.createPropertyAccessExpression(requireCall('node:url'), 'pathToFileURL'), undefined, [
          f.createCallExpression(f.createPropertyAccessExpression(requireCall('node:path'), 'join'), undefined, [
            f.createIdentifier('__dirname'),
            f.createStringLiteral(rel),
          ]),
        ]),
        'href',
      );
    const visit = (node) => {
      if (ts.isMetaProperty(node)) problems.push(`${relative(ROOT, file)}: import.meta is used for more than its url`);
      if (ts.isPropertyAccessExpression(node) && ts.isMetaProperty(node.expression) && node.name.text === 'url') {
        return twinUrl(posix(relative(outDir, twinOf(file))));
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0])) {
        const spec = node.arguments[0].text;
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
          if (sourceText.has(target) && importsEsmOnly(target).length) {
            loadedAsEsm.add(target);
            // require("../load-esm.js")(url of the ESM twin): a real import(), which TypeScript leaves alone here.
            const loader = posix(relative(outDir, join(OUT, LOADER)));
            return f.createCallExpression(requireCall(loader.startsWith('.') ? loader : `./${loader}`), undefined, [
              twinUrl(posix(relative(outDir, twinOf(target)))),
            ]);
          }
        }
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (sf) => ts.visitNode(sf, visit);
  };
}

const problems = [];
/** Modules whose users load them with import(), swapped for their ESM twin. */
const loadedAsEsm = new Set();

rmSync(OUT, { recursive: true, force: true });
for (const file of sources) {
  const { outputText, diagnostics } = ts.transpileModule(sourceText.get(file), {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true, sourceMap: false },
    transformers: { before: [transformer(file)] },
  });
  for (const d of diagnostics ?? []) problems.push(`${relative(ROOT, file)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  mkdirSync(dirname(outOf(file)), { recursive: true });
  writeFileSync(outOf(file), outputText);
}
for (const file of sources) {
  const direct = importsEsmOnly(file);
  if (direct.length && !loadedAsEsm.has(file))
    problems.push(`${relative(ROOT, file)} imports ${direct.join(', ')} (ESM only) but is not loaded with import(), so the CommonJS build cannot load it`);
}
if (problems.length) {
  process.stderr.write(`build-cjs: ${problems.join('\n')}\n`);
  process.exit(1);
}
writeFileSync(join(OUT, LOADER), readFileSync(join(ROOT, 'scripts', 'cjs', LOADER), 'utf8'));
// .js files in here are CommonJS; the declarations beside them describe them as such.
writeFileSync(join(OUT, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
for (const file of sources) {
  const dts = twinOf(file).replace(/\.js$/, '.d.ts');
  cpSync(dts, outOf(file).replace(/\.js$/, '.d.ts'));
}
