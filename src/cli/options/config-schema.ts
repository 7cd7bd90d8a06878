import { CONFIG_KEYS } from './config-file.js';
import { envName, startOptions, type OptionSpec } from './option-spec.js';

function schemaOf(spec: OptionSpec): Record<string, unknown> {
  const k = spec.kind;
  switch (k.type) {
    case 'port':
      return { type: 'integer', minimum: 0, maximum: 65535 };
    case 'integer':
      return { type: 'integer', minimum: k.min, ...(k.max === undefined ? {} : { maximum: k.max }) };
    case 'boolean':
      return { type: 'boolean' };
    case 'choice':
      return { enum: [...k.choices] };
    case 'list':
      return { type: 'array', items: { type: 'string', minLength: 1 } };
    default:
      return { type: 'string', minLength: 1 };
  }
}

/**
 * The JSON Schema of sandbox.config.json, generated from the option table the CLI reads the file with,
 * so an editor flags what `sandbox start` would refuse. schemas/config.schema.json is this output;
 * regenerate it with UPDATE_SCHEMAS=1 on test/cli/config.test.ts.
 */
export function configJsonSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = { $schema: { type: 'string' } };
  for (const name of CONFIG_KEYS) {
    const spec = (startOptions as Record<string, OptionSpec>)[name];
    const fallback = spec.default === undefined || (Array.isArray(spec.default) && !spec.default.length) ? {} : { default: spec.default };
    properties[name] = { description: `${spec.describe} (flag --${name}, environment ${envName(name)})`, ...schemaOf(spec), ...fallback };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'OAuth platform sandbox configuration',
    description:
      'Options of "sandbox start", read from sandbox.config.json in the working directory (or the file named by --config / SANDBOX_CONFIG). Keys are the option names; relative paths are relative to this file. A flag wins over an environment variable, which wins over this file, which wins over the default.',
    type: 'object',
    properties,
    additionalProperties: false,
  };
}

export const configJsonSchemaText = (): string => `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
