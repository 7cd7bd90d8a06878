import { MAX_SESSIONS } from '../../core/sessions/registry.js';
import type { ControlRoute } from '../control-route.js';
import { readSessionRequest } from '../inputs/read.js';
import { sessionRequestSchema } from '../inputs/schemas.js';
import { errorResponse as err, json, list, pathParam, ref } from '../openapi-parts.js';
import { sessionView } from '../session-view.js';
import { counted, empty, scenarioErrors } from './responses.js';

/** Isolated sessions: open, list, look up and end them. */
export const SESSION_ROUTES: readonly ControlRoute[] = [
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
    description: `Reach it at <url>/s/<id>/... or with the X-Sandbox-Session header. At most ${MAX_SESSIONS} at once.`,
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
];
