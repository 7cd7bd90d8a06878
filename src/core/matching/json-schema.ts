/**
 * The matcher language as JSON Schema (OpenAPI components, schemas/request-match.schema.json): what
 * editors and other languages' clients see. read-match.ts is what the server checks, with messages.
 */
const text = { type: 'string' };

export const VALUE_MATCHER_SCHEMA = {
  description: 'A string (equals) or one operator: equals, contains, matches (a regular expression), present, absent',
  oneOf: [
    text,
    { type: 'object', properties: { equals: text }, required: ['equals'], additionalProperties: false },
    { type: 'object', properties: { contains: text }, required: ['contains'], additionalProperties: false },
    {
      type: 'object',
      properties: { matches: { ...text, description: 'A JavaScript regular expression (unanchored)' } },
      required: ['matches'],
      additionalProperties: false,
    },
    { type: 'object', properties: { present: { const: true } }, required: ['present'], additionalProperties: false },
    { type: 'object', properties: { absent: { const: true } }, required: ['absent'], additionalProperties: false },
  ],
};

/** `ref` points at the value matcher's schema where this one is embedded. */
export function requestMatchSchema(ref: string): Record<string, unknown> {
  const value = { $ref: ref };
  const instant = {
    oneOf: [
      { ...text, description: 'ISO-8601' },
      { type: 'integer', description: 'epoch ms' },
    ],
  };
  return {
    type: 'object',
    description: 'Which requests: every criterion given must hold (docs/verify.md)',
    properties: {
      platform: value,
      endpoint: value,
      method: { ...value, description: 'The business method (open.auth.token.app, GET_BOXES, ...)' },
      httpMethod: value,
      path: value,
      status: { oneOf: [{ type: 'integer' }, value] },
      session: value,
      matched: { type: 'boolean', description: 'false: requests no endpoint matched' },
      since: { ...instant, description: 'Sandbox time, inclusive' },
      until: { ...instant, description: 'Sandbox time, inclusive' },
      params: {
        type: 'object',
        additionalProperties: value,
        description: "The request's parameters as the journal shows them, SOP's biz_content and ZJRC's bizContent fields included",
      },
      headers: { type: 'object', additionalProperties: value, description: 'Request headers (case-insensitive names)' },
    },
    additionalProperties: false,
  };
}
