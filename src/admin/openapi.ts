import type { SandboxControl } from '../control/service.js';
import { bodySchema, components } from './openapi-components.js';
import { errorResponse, requestBody, SESSION } from './openapi-parts.js';
import type { ControlRoute } from './control-route.js';

type Operation = Record<string, unknown>;

/**
 * The OpenAPI 3.1 description of the control plane, served at GET /__sandbox/openapi.json, generated
 * from the route table the router mounts (request bodies from the zod schemas it validates with), so
 * a route cannot be served without being described, nor described without being served.
 */
export function openApiDocument(routes: readonly ControlRoute[], control: SandboxControl, baseUrl: string, secured: boolean): Record<string, unknown> {
  const { paths, schemas } = described(routes);
  return {
    openapi: '3.1.0',
    info: {
      title: 'OAuth platform sandbox control plane',
      version: control.version,
      description: `Control the sandbox serving ${control.platformIds.join(', ')}: clock, request journal, tokens, scenarios and fault rules, isolated sessions, export. Errors are {"error","message"} with a message that says how to fix the request. ${secured ? 'This sandbox requires the admin token on every route but /health and /health/live.' : 'This sandbox requires no admin token (loopback bind).'}`,
    },
    servers: [
      { url: `${baseUrl}/__sandbox`, description: 'The default world' },
      {
        url: `${baseUrl}/s/{session}/__sandbox`,
        description: 'A session (POST /sessions first)',
        variables: { session: { default: 'worker-1', description: 'Session id' } },
      },
    ],
    // {} first: on a loopback bind without --admin-token, no token is needed.
    security: [{}, { bearer: [] }, { adminTokenHeader: [] }, { adminTokenQuery: [] }],
    paths,
    components: schemas,
  };
}

/**
 * The parts that depend on the route table only, made once per table: generating the JSON Schemas from zod
 * costs about 12 ms a request, 25 times a health check. The document is serialised as it is sent, never changed.
 */
const describedTables = new WeakMap<readonly ControlRoute[], { paths: Record<string, Record<string, Operation>>; schemas: Record<string, unknown> }>();
function described(routes: readonly ControlRoute[]): { paths: Record<string, Record<string, Operation>>; schemas: Record<string, unknown> } {
  let parts = describedTables.get(routes);
  if (parts) return parts;
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of routes) {
    const op: Operation = { operationId: route.operationId, summary: route.summary };
    if (route.description) op.description = route.description;
    const parameters = [...(route.world ? [SESSION] : []), ...(route.parameters ?? [])];
    if (parameters.length) op.parameters = parameters;
    if (route.body) {
      const schema = route.body.schema();
      op.requestBody = requestBody('$ref' in schema ? schema : bodySchema(schema), route.body.example, route.body.required ?? true);
    }
    const responses: Record<string, unknown> = { ...route.responses };
    // Every route but the health checks answers 401 without the admin token when one is in force.
    if (route.path.startsWith('/health')) op.security = [{}];
    else responses['401'] = errorResponse('unauthorized: the admin token is required here (see securitySchemes) and was missing or wrong');
    op.responses = responses;
    (paths[route.path] ??= {})[route.method] = op;
  }
  parts = { paths, schemas: components() };
  describedTables.set(routes, parts);
  return parts;
}
