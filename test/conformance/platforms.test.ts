import { PLATFORMS } from '../../src/platforms/index.js';
import { conformanceKit } from './kit.js';
import { subjects } from './subjects.js';

/** The conformance kit over every registered platform and the made-up fifth one. */
const all = subjects();

test('the kit covers every registered platform, and acme', () => {
  expect(all.map((s) => s.platform.id)).toEqual([...PLATFORMS.map((p) => p.id), 'acme']);
});

conformanceKit(all);
