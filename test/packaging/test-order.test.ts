import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The order a fresh machine (CI, no timings of its own) starts the suite's files in: the image test, files
 * test/support/durations.json does not know (Jest starts files with no time first), then the known ones,
 * longest first. Jest alone ordered by file size there, and the longest files (the packaging type checks,
 * 1 000 concurrent exchanges) started near the end, each adding its whole length to the run.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const Sequencer = require('../support/sequencer.cjs') as new (options: unknown) => { sort(tests: unknown[]): Promise<{ path: string }[]> };
const durations = JSON.parse(readFileSync(join(ROOT, 'test/support/durations.json'), 'utf8')) as Record<string, number>;

/** A test file as Jest hands it to the sequencer, on a machine with no timings (its cache is off). */
const file = (path: string, size: number) => ({
  path: join(ROOT, path),
  context: { config: { cache: false, id: 'fresh' }, hasteFS: { getSize: () => size } },
});

test('a fresh machine starts the image test, then the longest known files, whatever their size', async () => {
  const known = Object.keys(durations);
  const longest = known[0];
  const short = known[known.length - 1];
  expect(durations[longest]).toBeGreaterThan(durations[short]);
  const order = await new Sequencer({}).sort([
    file(short, 90_000),
    file('test/brand-new.test.ts', 50_000),
    file(longest, 100),
    file('test/container/image.test.ts', 10),
  ]);
  expect(order.map((t) => t.path.slice(ROOT.length))).toEqual(['test/container/image.test.ts', 'test/brand-new.test.ts', longest, short]);
});

test('durations.json names test files, each with its seconds', () => {
  for (const [path, seconds] of Object.entries(durations)) {
    expect({ path, file: path.endsWith('.test.ts'), seconds: typeof seconds }).toEqual({ path, file: true, seconds: 'number' });
  }
});
