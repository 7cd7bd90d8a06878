import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/**
 * The JSON Schema of scenario files, generated from the zod schema the server validates with, so
 * editors and `sandbox validate` agree with the server. schemas/scenario.schema.json is this output;
 * regenerate it with `UPDATE_SCHEMAS=1` on test/scenarios/schema-file.test.ts.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: generated.$schema,
    title: 'OAuth platform sandbox scenario',
    description:
      'What goes wrong, laid over the fixtures: token lifetimes and rotation rules, the clock, fault rules and pre-seeded state. See docs/scenarios.md.',
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== '$schema')),
  };
}

export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
