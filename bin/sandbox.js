#!/usr/bin/env node
// The CLI lives in the compiled output; `npm install` builds it through the `prepare` script.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bundle/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('sandbox: the build output is missing (dist/). Run `npm run build` (or `npm install`) first.\n');
  process.exit(1);
}
await import(entry.href);
