#!/usr/bin/env node
// Part of `npm run build`: the command line as a few files instead of ~150 modules. Node 20 resolves and
// compiles each ES module on its own, about half a millisecond apiece, which made a plain `sandbox start`
// 20 ms slower than it needs to be. esbuild bundles the compiled CLI (dist/cli/main.js, type-checked by tsc)
// into dist/bundle/: the packages stay imports of node_modules, and what the CLI loads on demand (zod and the
// schemas, --tls, --watch, --detach, the Redis store) stays in chunks of its own, loaded only when asked for.
// dist/bundle sits as deep as dist/cli, so paths found from import.meta.url (the dashboard's files, the
// package folder, ./main.js for --detach) are the same.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle');

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [join(ROOT, 'dist', 'cli', 'main.js')],
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  logLevel: 'warning',
});
