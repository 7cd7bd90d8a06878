import { ControlError } from '../core/errors/control-error.js';
import {
  readClockChange,
  readExportName,
  readJournalFilter,
  readVerifyRequest,
  readSelection,
  readSessionRequest,
  readTokenAction,
  readTokenPick,
  readTokenQuery,
} from './inputs/read.js';
import { clockChangeSchema, sessionRequestSchema } from './inputs/schemas.js';
import { mountEvents } from './events-routes.js';
import { errorResponse as err, json, list, pathParam, query, ref } from './openapi-parts.js';
import type { ControlRoute, RawAnswer } from './control-route.js';
import { sessionView } from './session-view.js';
import { mountDashboard } from './ui-routes.js';
import { PARITY_ROUTE } from './parity-route.js';
import { TOKEN_STORY_ROUTE } from './token-story-route.js';

/** Examples the OpenAPI test sends, so they stay true. */
export const TOKEN_EXAMPLE = '0123456789abcdef0123456789abcdef';
const VERIFY_EXAMPLE = { match: { platform: 'sop', method: 'open.auth.token.app', params: { grant_type: 'refresh_token' } }, atMost: 1 };
const FAULT_EXAMPLE = { id: 'refresh-500', platform: 'mantun', endpoint: 'refresh.as', nth: 2, respond: { status: 500 } };

const unknownSession = { '404': err('unknown_session: the session named by the header or the /s/{session} prefix does not exist') };
const badBody = {
  '400': err('invalid_request: the body is not valid JSON or not what the route takes (the message says what is)'),
  '413': err('payload_too_large: the body is over --body-limit'),
};
const scenarioErrors = {
  '400': json('invalid_request (body shape) or invalid_scenario (every issue with its file and JSON path)', { oneOf: [ref('Error'), ref('ScenarioError')] }),
  '404': json('unknown_scenario (the message names the library) or unknown_session', { oneOf: [ref('ScenarioError'), ref('Error')] }),
  '413': badBody['413'],
};
const empty = (status: number): RawAnswer => ({ raw: true, status });
/** `{"count": n, "<name>": [...]}`, the shape of every listing. */
const counted = <K extends string, T>(name: K, items: T[]) => ({ count: items.length, [name]: items }) as { count: number } & Record<K, T[]>;
const TOKEN_KIND = 'code, access, refresh or temp';

/** The control plane's own routes, under /__sandbox (and /s/<session>/__sandbox). Platforms add theirs. */
export const CONTROL_ROUTES: readonly ControlRoute[] = [
  {
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Readiness: 200 while the sandbox serves requests; 503 with the reason while its shared store is unreachable',
    responses: { '200': json('Ready', ref('Health')), '503': json('Not ready: status "unavailable" and the reason', ref('Health')) },
    handle: async ({ control }) => {
      const health = await control.health();
      return health.status === 'ok' ? health : ({ raw: true, status: 503, type: 'application/json', text: JSON.stringify(health) } satisfies RawAnswer);
    },
  },
  {
    method: 'get',
    path: '/health/live',
    operationId: 'liveness',
    summary: 'Liveness: 200 while the process serves, whatever its shared store does (restart it only when this fails)',
    responses: { '200': json('Alive', ref('Health')) },
    handle: ({ control }) => control.liveness(),
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This document',
    responses: { '200': json('OpenAPI 3.1 description of the control plane', { type: 'object' }) },
    handle: ({ describe }) => describe(),
  },
  {
    method: 'get',
    path: '/',
    operationId: 'dashboard',
    summary: 'The dashboard page (its scripts and styles under /ui/); under /s/{session}/__sandbox/ it acts on that session',
    responses: {
      '200': { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } },
      '301': { description: 'To the same URL with the trailing slash the page needs' },
      '404': err('not_found: the dashboard files are missing from the package'),
    },
    mount: mountDashboard,
  },
  {
    method: 'get',
    path: '/events',
    operationId: 'events',
    world: true,
    summary:
      'Server-sent events of the addressed world: hello on connect, request (id = journal id, data = the entry) per exchange, changed (tokens, clock, scenarios or fault counters moved) at most every 250 ms',
    parameters: [
      query('since', 'Also send the journal entries after this id (a reconnecting browser sends Last-Event-ID instead)', { type: 'integer', minimum: 0 }),
      { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
    ],
    responses: {
      '200': { description: 'The stream; it ends when the sandbox stops', content: { 'text/event-stream': { schema: { type: 'string' } } } },
      '400': err('invalid_request: since / Last-Event-ID is not a journal id'),
      ...unknownSession,
    },
    mount: mountEvents,
  },
  {
    method: 'get',
    path: '/platforms',
    operationId: 'listPlatforms',
    summary: 'Base URLs and test credentials of every platform',
    responses: {
      '200': json('The platforms', { type: 'object', properties: { platforms: { type: 'array', items: ref('PlatformSummary') } }, required: ['platforms'] }),
    },
    handle: ({ control, baseUrl }) => ({ platforms: control.platformSummaries(baseUrl) }),
  },
  {
    method: 'get',
    path: '/clock',
    operationId: 'getClock',
    world: true,
    summary: 'Sandbox time',
    responses: { '200': json('The clock', ref('Clock')), ...unknownSession },
    handle: ({ control, world }) => control.clock(world),
  },
  {
    method: 'post',
    path: '/clock',
    operationId: 'changeClock',
    world: true,
    summary: 'Move, set, speed up, freeze or reset the sandbox clock',
    description: 'Moving the clock forward expires every token whose lifetime it passes; tokens are not rewritten.',
    body: { schema: () => clockChangeSchema, example: { advance: '1h' } },
    responses: { '200': json('The clock after the change', ref('Clock')), ...badBody, ...unknownSession },
    async handle({ control, world, body }) {
      const moved = control.moveClock(world, readClockChange(body));
      await moved.durable;
      return moved.view;
    },
  },
  {
    method: 'get',
    path: '/requests',
    operationId: 'listRequests',
    summary: 'Recent platform requests, newest first, secrets masked',
    parameters: [
      query('platform', 'Only this platform id'),
      query('endpoint', 'Only this endpoint name'),
      query('method', 'Only calls of this business method (open.auth.token.app, GET_BOXES, ...)'),
      query('status', 'Only answers with this HTTP status', { type: 'integer' }),
      query('session', 'Only this session ("default" for the default world)'),
      query('matched', 'false: only requests no endpoint matched (each with a near-miss hint); true: only those an endpoint served', { type: 'boolean' }),
      query('httpMethod', 'Only this HTTP method'),
      query('path', 'Only this path'),
      query('since', 'Only requests at or after this sandbox time (ISO-8601 or epoch ms)'),
      query('until', 'Only requests at or before this sandbox time (ISO-8601 or epoch ms)'),
      query('params.{name}', "Only requests with this parameter value (a gateway's business content included): params.grant_type=refresh_token"),
      query('headers.{name}', 'Only requests with this header value: headers.user-agent=okhttp/4.12.0'),
      query('match', 'A JSON matcher (docs/verify.md) for the other operators: {"params":{"app_id":{"matches":"^2019"}}}'),
      query('limit', 'At most this many', { type: 'integer', minimum: 0 }),
    ],
    responses: {
      '200': json('The journal', list('requests', 'JournalEntry')),
      '400': err('invalid_request: status or limit is not a whole number, or matched is not true or false'),
    },
    handle: async ({ control, query: q }) => counted('requests', await control.requests(readJournalFilter(q))),
  },
  {
    method: 'post',
    path: '/requests/verify',
    operationId: 'verifyRequests',
    summary: 'Assert how many journaled requests a matcher selects: 200 when the count holds, 417 with a near-miss report when not',
    description: 'Counts over the whole journal (every process of a shared sandbox); docs/verify.md describes the matcher.',
    body: { schema: () => ({ $ref: '#/components/schemas/VerifyRequest' }), example: VERIFY_EXAMPLE },
    responses: {
      '200': json('The count holds', ref('Verification')),
      '400': err('invalid_request: the matcher or the count is not valid (the message says which field and why)'),
      '417': json('verification_failed: the report, with the nearest misses', ref('VerificationFailure')),
    },
    handle: async ({ control, body }) => {
      const { match, expectation } = readVerifyRequest(body);
      const v = await control.verify(match, expectation);
      if (!v.ok) throw new ControlError('verification_failed', v.report, { count: v.count, nearMisses: v.nearMisses });
      return { count: v.count, report: v.report };
    },
  },
  {
    method: 'delete',
    path: '/requests',
    operationId: 'clearRequests',
    summary: 'Clear the journal',
    responses: { '204': { description: 'Cleared' } },
    handle: async ({ control }) => {
      await control.clearRequests();
      return empty(204);
    },
  },
  {
    method: 'get',
    path: '/tokens',
    operationId: 'listTokens',
    world: true,
    summary: 'Every code and token with its state by the sandbox clock',
    parameters: [
      query('platform', 'Only this platform id'),
      query('kind', TOKEN_KIND),
      query('state', 'active, expired, used, rotated, grace or revoked'),
      query('limit', 'At most this many (default 1000, at most 10000)', { type: 'integer' }),
      query('order', 'oldest (issue order, the default) or newest first', { type: 'string', enum: ['oldest', 'newest'] }),
    ],
    responses: { '200': json('The tokens', list('tokens', 'Token')), '400': err('invalid_request: an unknown order'), ...unknownSession },
    handle: async ({ control, world, query: q }) => counted('tokens', await control.tokens(world, readTokenQuery(q))),
  },
  {
    method: 'post',
    path: '/tokens/{value}/{action}',
    operationId: 'endToken',
    world: true,
    summary: 'Expire or revoke one code or token now (the dashboard buttons)',
    description: 'When the value exists on several platforms or kinds, ?platform=&kind= (or the same fields in a JSON body) pick one.',
    parameters: [
      pathParam('value', 'The code or token, as the client holds it', TOKEN_EXAMPLE),
      { ...pathParam('action', 'expire or revoke', 'expire'), schema: { type: 'string', enum: ['expire', 'revoke'] } },
      query('platform', 'Platform id, to pick one'),
      query('kind', `${TOKEN_KIND}, to pick one`),
    ],
    responses: {
      '200': json('The record after the change', { type: 'object', properties: { token: ref('Token') }, required: ['token'] }),
      '400': err('invalid_request: an unknown platform or kind'),
      '404': err('unknown_token (no such value in this world), not_found (an action other than expire or revoke) or unknown_session'),
      '409': err('ambiguous_token: the value exists on several platforms or kinds; add ?platform=&kind='),
    },
    handle: async ({ control, world, params, query: q, body }) => {
      const fromBody = (body ?? {}) as Record<string, unknown>;
      const action = readTokenAction(params.action);
      const pick = readTokenPick(q.platform ?? fromBody.platform, q.kind ?? fromBody.kind, control.platformIds);
      return { token: await control.endToken(world, params.value, action, pick) };
    },
  },
  TOKEN_STORY_ROUTE,
  PARITY_ROUTE,
  {
    method: 'post',
    path: '/reset',
    operationId: 'reset',
    world: true,
    summary: 'Back to the fixtures: no tokens, platform data as in fixtures, host time, empty journal; active scenarios start over',
    responses: {
      '200': json('Reset', {
        type: 'object',
        properties: { status: { type: 'string', const: 'reset' }, tokens: { type: 'integer' } },
        required: ['status', 'tokens'],
      }),
      ...unknownSession,
    },
    handle: ({ control, world }) => control.reset(world),
  },
  {
    method: 'get',
    path: '/scenarios',
    operationId: 'listScenarios',
    summary: 'The scenario library: --scenarios-dir folders, then the built-in scenarios',
    responses: {
      '200': json('The library', {
        type: 'object',
        properties: {
          dirs: { type: 'array', items: { type: 'string' } },
          scenarios: {
            type: 'array',
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, description: { type: 'string' }, source: { type: 'string' }, error: { type: 'string' } },
              required: ['name', 'source'],
            },
          },
        },
        required: ['dirs', 'scenarios'],
      }),
    },
    handle: ({ control }) => control.library(),
  },
  {
    method: 'get',
    path: '/scenario',
    operationId: 'getScenario',
    world: true,
    summary: 'What is active: scenarios, composed policy, fault rules with counters, clock',
    responses: { '200': json('Active scenarios', ref('ScenarioView')), ...unknownSession },
    handle: ({ control, world }) => control.scenario(world),
  },
  {
    method: 'put',
    path: '/scenario',
    operationId: 'useScenario',
    world: true,
    summary: 'Activate scenarios (replacing the active ones, or laid over them with "add": true)',
    description:
      'Scenarios are named from the library or sent inline; file paths are refused over HTTP. A scenario that does not load leaves the active ones as they were.',
    body: { schema: () => ref('ScenarioSelection'), example: { name: 'rotation-strict' } },
    responses: { '200': json('Now active', ref('ScenarioView')), ...scenarioErrors },
    handle: ({ control, world, body }) => control.useScenario(world, readSelection(body), { allowPaths: false, label: 'request body' }),
  },
  {
    method: 'delete',
    path: '/scenario',
    operationId: 'clearScenario',
    world: true,
    summary: 'Back to the fixtures only (tokens stay)',
    responses: { '200': json('Nothing active', ref('ScenarioView')), ...unknownSession },
    handle: ({ control, world }) => control.clearScenario(world),
  },
  {
    method: 'get',
    path: '/faults',
    operationId: 'listFaults',
    world: true,
    summary: 'Every active fault rule with its counters, in the order they are tried',
    responses: { '200': json('The rules', list('faults', 'FaultView')), ...unknownSession },
    handle: async ({ control, world }) => counted('faults', await control.faults(world)),
  },
  {
    method: 'post',
    path: '/faults',
    operationId: 'armFault',
    world: true,
    summary: 'Arm one fault rule over everything active',
    body: { schema: () => ({ $ref: '#/components/schemas/Scenario/properties/faults/items' }), example: FAULT_EXAMPLE },
    status: 201,
    responses: { '201': json('Armed', { type: 'object', properties: { fault: ref('FaultView') }, required: ['fault'] }), ...scenarioErrors },
    handle: ({ control, world, body }) => {
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new ControlError('invalid_request', 'Send one fault rule as a JSON object, e.g. {"endpoint": "token.as", "nth": 2, "respond": {"status": 500}}.');
      }
      return { fault: control.armFault(world, body, { label: 'request body' }) };
    },
  },
  {
    method: 'delete',
    path: '/faults',
    operationId: 'disarmFaults',
    world: true,
    summary: 'Remove every armed rule (rules of scenarios go with DELETE /scenario)',
    responses: { '200': json('How many went', { type: 'object', properties: { removed: { type: 'integer' } }, required: ['removed'] }), ...unknownSession },
    handle: ({ control, world }) => ({ removed: control.disarmFaults(world) }),
  },
  {
    method: 'delete',
    path: '/faults/{id}',
    operationId: 'disarmFault',
    world: true,
    summary: 'Remove one armed rule',
    parameters: [pathParam('id', 'The id POST /faults answered with', 'refresh-500')],
    responses: {
      '200': json('Removed', { type: 'object', properties: { removed: { type: 'integer', const: 1 } }, required: ['removed'] }),
      '404': err('not_found (no armed rule with this id) or unknown_session'),
    },
    handle: ({ control, world, params }) => ({ removed: control.disarmFaults(world, params.id) }),
  },
  {
    method: 'get',
    path: '/sessions',
    operationId: 'listSessions',
    summary: 'Open sessions',
    responses: { '200': json('The sessions', list('sessions', 'Session')) },
    handle: async ({ control, baseUrl }) => counted('sessions', await Promise.all((await control.sessions()).map((s) => sessionView(s, baseUrl)))),
  },
  {
    method: 'post',
    path: '/sessions',
    operationId: 'createSession',
    summary: 'Open an isolated session: its own tokens, clock, platform data and scenarios',
    description: 'Reach it at <url>/s/<id>/... or with the X-Sandbox-Session header. At most 1000 at once.',
    body: { schema: () => sessionRequestSchema, example: { id: 'worker-2', scenario: 'expiry-fast' }, required: false },
    status: 201,
    responses: {
      '201': json('Created', ref('Session')),
      ...scenarioErrors,
      '409': err('session_exists: pick another id or end that session first'),
      '429': err('too_many_sessions: end sessions you are done with'),
    },
    handle: async ({ control, body, baseUrl }) => sessionView(await control.createSession(readSessionRequest(body), { label: 'request body' }), baseUrl),
  },
  {
    method: 'delete',
    path: '/sessions',
    operationId: 'endSessions',
    summary: 'End every session',
    responses: { '200': json('How many ended', { type: 'object', properties: { ended: { type: 'integer' } }, required: ['ended'] }) },
    handle: async ({ control }) => ({ ended: await control.endSessions() }),
  },
  {
    method: 'get',
    path: '/sessions/{id}',
    operationId: 'getSession',
    summary: 'One session',
    parameters: [pathParam('id', 'Session id', 'worker-1')],
    responses: { '200': json('The session', ref('Session')), '404': err('unknown_session') },
    handle: async ({ control, params, baseUrl }) => sessionView(await control.session(params.id), baseUrl),
  },
  {
    method: 'delete',
    path: '/sessions/{id}',
    operationId: 'endSession',
    summary: 'End one session',
    parameters: [pathParam('id', 'Session id', 'worker-1')],
    responses: { '204': { description: 'Ended' }, '404': err('unknown_session') },
    handle: async ({ control, params }) => {
      await control.endSession(params.id);
      return empty(204);
    },
  },
  {
    method: 'get',
    path: '/export',
    operationId: 'exportScenario',
    world: true,
    summary: 'The world as a scenario file: tokens, platform data, clock, random position, policy, fault rules with progress',
    description:
      'Load it with PUT /scenario, --scenario FILE or sessions.create({scenario}) into a sandbox with the same fixtures to get the same answers to the same calls.',
    parameters: [query('name', 'Name written into the file (letters, digits, ".", "_", "-"; at most 64)')],
    responses: { '200': json('A scenario file', ref('Scenario')), '400': err('invalid_request: a bad name'), ...unknownSession },
    handle: async ({ control, world, query: q }): Promise<RawAnswer> => ({
      raw: true,
      status: 200,
      type: 'application/json',
      text: `${JSON.stringify(await control.export(world, readExportName(q.name)), null, 2)}\n`,
    }),
  },
];
