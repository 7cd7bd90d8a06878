#!/usr/bin/env node
// Part of `npm run build`: validate the built-in fixtures once, with the compiled schemas, and write
// the result where `sandbox start` looks for it (dist/builtin-fixtures.json), so a plain start
// loads no zod. See src/core/fixtures/builtin-cache.ts.
import { writeFileSync } from 'node:fs';
import { BUILTIN_CACHE_FILE, builtinCacheText } from '../dist/core/fixtures/builtin-cache.js';
import { builtinFixtureTexts, validateFixtures } from '../dist/core/fixtures/loader.js';
import { loadValidators } from '../dist/core/validation/lazy-schemas.js';
import { PLATFORMS } from '../dist/platforms/index.js';

await loadValidators(PLATFORMS);
const texts = builtinFixtureTexts();
writeFileSync(BUILTIN_CACHE_FILE, builtinCacheText(texts, validateFixtures(PLATFORMS)));
