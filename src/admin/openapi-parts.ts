/** Small builders for the OpenAPI document, shared by the route table and the document itself. */

const JSON_TYPE = 'application/json';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (description: string, schema: unknown) => ({ description, content: { [JSON_TYPE]: { schema } } });
export const errorResponse = (description: string) => json(description, ref('Error'));
export const list = (key: string, item: string) => ({
  type: 'object',
  properties: { count: { type: 'integer' }, [key]: { type: 'array', items: ref(item) } },
  required: ['count', key],
});
export const SESSION = { $ref: '#/components/parameters/Session' };
export const query = (name: string, description: string, schema: unknown = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
export const pathParam = (name: string, description: string, example: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
  example,
});
export const requestBody = (schema: unknown, example: unknown, required = true) => ({ required, content: { [JSON_TYPE]: { schema, example } } });
