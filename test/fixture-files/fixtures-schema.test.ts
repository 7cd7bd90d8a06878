import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturesJsonSchemaText } from '../../src/core/fixtures/json-schema.js';
import { fixtureFileSchema, validateFixtureFile } from '../../src/core/fixtures/file-schema.js';
import { loadValidators } from '../../src/core/validation/lazy-schemas.js';
import { isScenarioFile, ScenarioLibrary } from '../../src/core/scenarios/loader.js';
import { scenarioJsonSchemaText } from '../../src/core/scenarios/json-schema.js';
import { PLATFORMS } from '../../src/platforms/index.js';

await loadValidators(PLATFORMS);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FILE = join(ROOT, 'schemas/fixtures.schema.json');

// Regenerate after changing a platform's fixture schema (src/platforms/<id>/fixture.ts):
//   UPDATE_SCHEMAS=1 node --experimental-vm-modules node_modules/jest/bin/jest.js test/fixture-files/fixtures-schema.test.ts
if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(FILE, fixturesJsonSchemaText(PLATFORMS));

const builtin = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((n) => n.endsWith('.json'))
    .map((n) => join(ROOT, dir, n));

describe('schemas/fixtures.schema.json', () => {
  test('is exactly what the server-side zod schemas generate', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(fixturesJsonSchemaText(PLATFORMS));
  });

  test('has one optional section per platform and refuses unknown ones, as the loader does', () => {
    const schema = JSON.parse(readFileSync(FILE, 'utf8'));
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'mantun', 'usercenter', 'sop', 'zjrc']);
    expect(schema.required).toBeUndefined();
    expect(schema.additionalProperties).toBe(false);
    // The loader refuses a misspelt field inside a section; so does the schema an editor uses.
    expect(schema.properties.mantun.additionalProperties).toBe(false);
    expect(schema.properties.mantun.properties.apps.items.additionalProperties).toBe(false);
    expect(schema.properties.mantun.properties.apps.items.properties.appKey).toEqual({ type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' });
  });

  test('the scenario schema is published too and current', () => {
    expect(readFileSync(join(ROOT, 'schemas/scenario.schema.json'), 'utf8')).toBe(scenarioJsonSchemaText());
  });
});

describe('built-in files', () => {
  const fixtures = builtin('fixtures');
  const scenarios = builtin('scenarios');

  test('there are built-in fixtures and scenarios to check', () => {
    expect(fixtures.map((f) => f.slice(ROOT.length)).sort()).toEqual([
      'fixtures/mantun.json',
      'fixtures/sop.json',
      'fixtures/usercenter.json',
      'fixtures/zjrc.json',
    ]);
    expect(scenarios.length).toBeGreaterThanOrEqual(16);
  });

  test.each(fixtures.map((f) => [f.slice(ROOT.length), f]))('%s carries $schema pointing at the fixtures schema and validates', (_name, file) => {
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    expect(raw.$schema).toBe('../schemas/fixtures.schema.json');
    expect(resolve(dirname(file), raw.$schema)).toBe(FILE);
    expect(isScenarioFile(raw)).toBe(false);
    expect(() => validateFixtureFile(PLATFORMS, raw, file, fixtureFileSchema(PLATFORMS))).not.toThrow();
  });

  test.each(scenarios.map((f) => [f.slice(ROOT.length), f]))('%s carries $schema pointing at the scenario schema and validates', (_name, file) => {
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    expect(raw.$schema).toBe('../schemas/scenario.schema.json');
    expect(existsSync(resolve(dirname(file), raw.$schema))).toBe(true);
    expect(isScenarioFile(raw)).toBe(true);
    expect(() => new ScenarioLibrary(PLATFORMS).validate(raw, file)).not.toThrow();
  });
});
