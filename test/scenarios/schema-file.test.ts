import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from '../../src/core/scenarios/json-schema.js';

const FILE = fileURLToPath(new URL('../../schemas/scenario.schema.json', import.meta.url));

// Regenerate after changing src/core/scenarios/schema.ts, fault-rule-schema.ts or value-schemas.ts:
//   UPDATE_SCHEMAS=1 node --experimental-vm-modules node_modules/jest/bin/jest.js test/scenarios/schema-file.test.ts
if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(FILE, scenarioJsonSchemaText());

describe('schemas/scenario.schema.json', () => {
  test('is exactly what the server-side zod schema generates', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  test('describes the top-level sections and the fault vocabulary', () => {
    const schema = JSON.parse(readFileSync(FILE, 'utf8'));
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties).sort()).toEqual(['$schema', 'clock', 'description', 'faults', 'name', 'platforms', 'policy', 'random', 'state']);
    expect(schema.additionalProperties).toBe(false);
    const respond = schema.properties.faults.items.properties.respond.properties;
    expect(respond.transport.enum).toEqual(['reset', 'empty']);
    expect(respond.malformed.enum).toEqual(['truncated', 'invalid']);
  });
});
