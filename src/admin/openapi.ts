import type { Sandbox } from '../sandbox.js';
import { components, ref } from './openapi-components.js';

/**
 * The OpenAPI 3.1 description of the control plane, served at GET /__sandbox/openapi.json.
 * Written by hand next to the routes; test/ecosystem/openapi-routes.test.ts fails when a route is
 * added without being described here, or a described path stops answering.
 */

type Operation = Record<string, unknown>;
type PathItem = Record<string, Operation>;

const JSON_TYPE = 'application/json';
const json = (description: string, schema: unknown) => ({ description, content: { [JSON_TYPE]: { schema } } });
const err = (description: string) => json(description, ref('Error'));
const body = (schema: unknown, example: unknown, required = true) => ({ required, content: { [JSON_TYPE]: { schema, example } } });
const list = (key: string, item: string) => ({ type: 'object', properties: { count: { type: 'integer' }, [key]: { type: 'array', items: ref(item) } }, required: ['count', key] });
const SESSION = { $ref: '#/components/parameters/Session' };
const query = (name: string, description: string, schema: unknown = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const pathParam = (name: string, description: string, example: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' }, example });

// Every request that names a session that does not exist is refused before it reaches a route.
const WORLD = { parameters: [SESSION] };
const unknownSession = { '404': err('unknown_session: the session named by the header or the /s/{session} prefix does not exist') };
const badBody = { '400': err('invalid_request: the body is not valid JSON or not what the route takes (the message says what is)'), '413': err('payload_too_large: the body is over --body-limit') };
const scenarioErrors = { '400': json('invalid_request (body shape) or invalid_scenario (every issue with its file and JSON path)', { oneOf: [ref('Error'), ref('ScenarioError')] }), '404': json('unknown_scenario (the message names the library) or unknown_session', { oneOf: [ref('ScenarioError'), ref('Error')] }), '413': badBody['413'] };

/** Examples the test (test/ecosystem/openapi-routes.test.ts) sends, so they stay true. */
export const TOKEN_EXAMPLE = '0123456789abcdef0123456789abcdef';
const FAULT_EXAMPLE = { id: 'refresh-500', platform: 'mantun', endpoint: 'refresh.as', nth: 2, respond: { status: 500 } };

function corePaths(): Record<string, PathItem> {
  return {
    '/health': {
      get: { operationId: 'health', summary: 'Readiness: 200 once the sandbox serves requests', responses: { '200': json('Ready', ref('Health')) } },
    },
    '/openapi.json': {
      get: { operationId: 'openapi', summary: 'This document', responses: { '200': json('OpenAPI 3.1 description of the control plane', { type: 'object' }) } },
    },
    '/': {
      get: {
        operationId: 'dashboard',
        summary: 'The dashboard page (its scripts and styles under /ui/); under /s/{session}/__sandbox/ it acts on that session',
        responses: { '200': { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } }, '301': { description: 'To the same URL with the trailing slash the page needs' }, '404': err('not_found: the dashboard files are missing from the package') },
      },
    },
    '/events': {
      get: {
        operationId: 'events',
        summary: 'Server-sent events of the addressed world: hello on connect, request (id = journal id, data = the entry) per exchange, changed (tokens or clock moved) at most every 250 ms',
        parameters: [SESSION, query('since', 'Also send the journal entries after this id (a reconnecting browser sends Last-Event-ID instead)', { type: 'integer', minimum: 0 }), { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
        responses: { '200': { description: 'The stream; it ends when the sandbox stops', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '400': err('invalid_request: since / Last-Event-ID is not a journal id'), ...unknownSession },
      },
    },
    '/platforms': {
      get: { operationId: 'listPlatforms', summary: 'Base URLs and test credentials of every platform', responses: { '200': json('The platforms', { type: 'object', properties: { platforms: { type: 'array', items: ref('PlatformSummary') } }, required: ['platforms'] }) } },
    },
    '/clock': {
      get: { operationId: 'getClock', summary: 'Sandbox time', ...WORLD, responses: { '200': json('The clock', ref('Clock')), ...unknownSession } },
      post: {
        operationId: 'changeClock',
        summary: 'Move, set, speed up, freeze or reset the sandbox clock',
        description: 'Moving the clock forward expires every token whose lifetime it passes; tokens are not rewritten.',
        ...WORLD,
        requestBody: body(ref('ClockChange'), { advance: '1h' }),
        responses: { '200': json('The clock after the change', ref('Clock')), ...badBody, ...unknownSession },
      },
    },
    '/requests': {
      get: {
        operationId: 'listRequests',
        summary: 'Recent platform requests, newest first, secrets masked',
        parameters: [query('platform', 'Only this platform id'), query('endpoint', 'Only this endpoint name'), query('status', 'Only answers with this HTTP status', { type: 'integer' }), query('session', 'Only this session ("default" for the default world)'), query('limit', 'At most this many', { type: 'integer', minimum: 0 })],
        responses: { '200': json('The journal', list('requests', 'JournalEntry')), '400': err('invalid_request: status or limit is not a whole number') },
      },
      delete: { operationId: 'clearRequests', summary: 'Clear the journal', responses: { '204': { description: 'Cleared' } } },
    },
    '/tokens': {
      get: {
        operationId: 'listTokens',
        summary: 'Every code and token with its state by the sandbox clock',
        ...WORLD,
        parameters: [SESSION, query('platform', 'Only this platform id'), query('kind', 'code, access, refresh or temp'), query('state', 'active, expired, used, rotated, grace or revoked'), query('limit', 'At most this many (default 1000, at most 10000)', { type: 'integer' })],
        responses: { '200': json('The tokens', list('tokens', 'Token')), ...unknownSession },
      },
    },
    '/tokens/{value}/{action}': {
      post: {
        operationId: 'endToken',
        summary: 'Expire or revoke one code or token now (the dashboard buttons)',
        description: 'When the value exists on several platforms or kinds, ?platform=&kind= (or the same fields in a JSON body) pick one.',
        parameters: [SESSION, pathParam('value', 'The code or token, as the client holds it', TOKEN_EXAMPLE), { ...pathParam('action', 'expire or revoke', 'expire'), schema: { type: 'string', enum: ['expire', 'revoke'] } }, query('platform', 'Platform id, to pick one'), query('kind', 'code, access, refresh or temp, to pick one')],
        responses: {
          '200': json('The record after the change', { type: 'object', properties: { token: ref('Token') }, required: ['token'] }),
          '400': err('invalid_request: an unknown platform or kind'),
          '404': err('unknown_token (no such value in this world), not_found (an action other than expire or revoke) or unknown_session'),
          '409': err('ambiguous_token: the value exists on several platforms or kinds; add ?platform=&kind='),
        },
      },
    },
    '/reset': {
      post: {
        operationId: 'reset',
        summary: 'Back to the fixtures: no tokens, platform data as in fixtures, host time, empty journal; active scenarios start over',
        ...WORLD,
        responses: { '200': json('Reset', { type: 'object', properties: { status: { type: 'string', const: 'reset' }, tokens: { type: 'integer' } }, required: ['status', 'tokens'] }), ...unknownSession },
      },
    },
    '/scenarios': {
      get: {
        operationId: 'listScenarios',
        summary: 'The scenario library: --scenarios-dir folders, then the built-in scenarios',
        responses: {
          '200': json('The library', {
            type: 'object',
            properties: { dirs: { type: 'array', items: { type: 'string' } }, scenarios: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, description: { type: 'string' }, source: { type: 'string' }, error: { type: 'string' } }, required: ['name', 'source'] } } },
            required: ['dirs', 'scenarios'],
          }),
        },
      },
    },
    '/scenario': {
      get: { operationId: 'getScenario', summary: 'What is active: scenarios, composed policy, fault rules with counters, clock', ...WORLD, responses: { '200': json('Active scenarios', ref('ScenarioView')), ...unknownSession } },
      put: {
        operationId: 'useScenario',
        summary: 'Activate scenarios (replacing the active ones, or laid over them with "add": true)',
        description: 'Scenarios are named from the library or sent inline; file paths are refused over HTTP. A scenario that does not load leaves the active ones as they were.',
        ...WORLD,
        requestBody: body(ref('ScenarioSelection'), { name: 'rotation-strict' }),
        responses: { '200': json('Now active', ref('ScenarioView')), ...scenarioErrors },
      },
      delete: { operationId: 'clearScenario', summary: 'Back to the fixtures only (tokens stay)', ...WORLD, responses: { '200': json('Nothing active', ref('ScenarioView')), ...unknownSession } },
    },
    '/faults': {
      get: { operationId: 'listFaults', summary: 'Every active fault rule with its counters, in the order they are tried', ...WORLD, responses: { '200': json('The rules', list('faults', 'FaultView')), ...unknownSession } },
      post: {
        operationId: 'armFault',
        summary: 'Arm one fault rule over everything active',
        ...WORLD,
        requestBody: body({ $ref: '#/components/schemas/Scenario/properties/faults/items' }, FAULT_EXAMPLE),
        responses: { '201': json('Armed', { type: 'object', properties: { fault: ref('FaultView') }, required: ['fault'] }), ...scenarioErrors },
      },
      delete: { operationId: 'disarmFaults', summary: 'Remove every armed rule (rules of scenarios go with DELETE /scenario)', ...WORLD, responses: { '200': json('How many went', { type: 'object', properties: { removed: { type: 'integer' } }, required: ['removed'] }), ...unknownSession } },
    },
    '/faults/{id}': {
      delete: {
        operationId: 'disarmFault',
        summary: 'Remove one armed rule',
        parameters: [SESSION, pathParam('id', 'The id POST /faults answered with', 'refresh-500')],
        responses: { '200': json('Removed', { type: 'object', properties: { removed: { type: 'integer', const: 1 } }, required: ['removed'] }), '404': err('not_found (no armed rule with this id) or unknown_session') },
      },
    },
    '/sessions': {
      get: { operationId: 'listSessions', summary: 'Open sessions', responses: { '200': json('The sessions', list('sessions', 'Session')) } },
      post: {
        operationId: 'createSession',
        summary: 'Open an isolated session: its own tokens, clock, platform data and scenarios',
        description: 'Reach it at <url>/s/<id>/... or with the X-Sandbox-Session header. At most 1000 at once.',
        requestBody: body(ref('SessionRequest'), { id: 'worker-2', scenario: 'expiry-fast' }, false),
        responses: {
          '201': json('Created', ref('Session')),
          ...scenarioErrors,
          '409': err('session_exists: pick another id or end that session first'),
          '429': err('too_many_sessions: end sessions you are done with'),
        },
      },
      delete: { operationId: 'endSessions', summary: 'End every session', responses: { '200': json('How many ended', { type: 'object', properties: { ended: { type: 'integer' } }, required: ['ended'] }) } },
    },
    '/sessions/{id}': {
      get: { operationId: 'getSession', summary: 'One session', parameters: [pathParam('id', 'Session id', 'worker-1')], responses: { '200': json('The session', ref('Session')), '404': err('unknown_session') } },
      delete: { operationId: 'endSession', summary: 'End one session', parameters: [pathParam('id', 'Session id', 'worker-1')], responses: { '204': { description: 'Ended' }, '404': err('unknown_session') } },
    },
    '/export': {
      get: {
        operationId: 'exportScenario',
        summary: 'The world as a scenario file: tokens, platform data, clock, random position, policy, fault rules with progress',
        description: 'Load it with PUT /scenario, --scenario FILE or sessions.create({scenario}) into a sandbox with the same fixtures to get the same answers to the same calls.',
        parameters: [SESSION, query('name', 'Name written into the file (letters, digits, ".", "_", "-"; at most 64)')],
        responses: { '200': json('A scenario file', ref('Scenario')), '400': err('invalid_request: a bad name'), ...unknownSession },
      },
    },
  };
}

/** Control-plane routes platforms mount under /__sandbox/<id>/ (PlatformDefinition.admin), by platform id. */
const PLATFORM_PATHS: Record<string, Record<string, PathItem>> = {
  usercenter: {
    '/usercenter/validate-code': {
      get: {
        operationId: 'usercenterListValidateCodes',
        summary: 'UserCenter: validate codes waiting to be used (the SMS the real service would send)',
        ...WORLD,
        responses: { '200': json('Pending codes', { type: 'object', properties: { codes: { type: 'array', items: { type: 'object', properties: { userId: { type: 'string' }, username: { type: ['string', 'null'] }, code: { type: 'string' } }, required: ['userId', 'username', 'code'] } } }, required: ['codes'] }), ...unknownSession },
      },
      post: {
        operationId: 'usercenterSetValidateCode',
        summary: 'UserCenter: set the next validate code of a user (random 6 digits when "code" is left out); spent by its use',
        ...WORLD,
        requestBody: body({ type: 'object', properties: { username: { type: 'string', description: 'userCode, userName, mobile or e-mail' }, code: { type: ['string', 'number'], pattern: '^[A-Za-z0-9]{1,32}$' } }, required: ['username'], additionalProperties: false }, { username: 'test', code: '123456' }),
        responses: { '200': json('The code set', { type: 'object', properties: { username: { type: 'string' }, userId: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } }, required: ['username', 'userId', 'code', 'message'] }), ...badBody, '404': err('unknown_user (the message lists the users) or unknown_session') },
      },
    },
  },
};

/** The document for this sandbox, with `baseUrl` (as the client reached it) in `servers`. */
export function openApiDocument(sandbox: Sandbox, baseUrl: string): Record<string, unknown> {
  const paths: Record<string, PathItem> = corePaths();
  for (const p of sandbox.platforms) if (p.admin) Object.assign(paths, PLATFORM_PATHS[p.id] ?? {});
  // Every route but the health check answers 401 without the admin token when one is in force.
  for (const [path, item] of Object.entries(paths)) {
    for (const op of Object.values(item)) {
      if (path === '/health') op.security = [{}];
      else (op.responses as Record<string, unknown>)['401'] = err('unauthorized: the admin token is required here (see securitySchemes) and was missing or wrong');
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OAuth platform sandbox control plane',
      version: sandbox.version,
      description: `Control the sandbox serving ${sandbox.platforms.map((p) => p.id).join(', ')}: clock, request journal, tokens, scenarios and fault rules, isolated sessions, export. Errors are {"error","message"} with a message that says how to fix the request. ${sandbox.options.adminToken ? 'This sandbox requires the admin token on every route but /health.' : 'This sandbox requires no admin token (loopback bind).'}`,
    },
    servers: [
      { url: `${baseUrl}/__sandbox`, description: 'The default world' },
      { url: `${baseUrl}/s/{session}/__sandbox`, description: 'A session (POST /sessions first)', variables: { session: { default: 'worker-1', description: 'Session id' } } },
    ],
    // {} first: on a loopback bind without --admin-token, no token is needed.
    security: [{}, { bearer: [] }, { adminTokenHeader: [] }, { adminTokenQuery: [] }],
    paths,
    components: components(),
  };
}
