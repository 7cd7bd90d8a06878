import type { ControlRoute } from '../control-route.js';
import { mountEvents } from '../events-routes.js';
import { errorResponse as err, query } from '../openapi-parts.js';
import { mountDashboard } from '../ui-routes.js';
import { unknownSession } from './responses.js';

/** What the browser uses: the dashboard page and the event stream that keeps it current. Both mount their own handlers. */
export const DASHBOARD_ROUTES: readonly ControlRoute[] = [
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
];
