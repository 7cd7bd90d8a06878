import { ControlError } from '../../core/errors/control-error.js';
import type { ControlRoute } from '../control-route.js';
import { readJournalFilter, readVerifyRequest } from '../inputs/read.js';
import { errorResponse as err, json, list, query, ref } from '../openapi-parts.js';
import { counted, empty } from './responses.js';

/** Examples the OpenAPI test sends, so they stay true. */
const VERIFY_EXAMPLE = { match: { platform: 'sop', method: 'open.auth.token.app', params: { grant_type: 'refresh_token' } }, atMost: 1 };

/** The journal of platform requests: list it, verify a count against it, clear it. */
export const REQUEST_ROUTES: readonly ControlRoute[] = [
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
];
