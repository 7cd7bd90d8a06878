import type { ControlRoute } from '../control-route.js';
import { readTokenAction, readTokenPick, readTokenQuery } from '../inputs/read.js';
import { errorResponse as err, json, list, pathParam, query, ref } from '../openapi-parts.js';
import { counted, unknownSession } from './responses.js';

/** An example value the OpenAPI test sends, so it stays true. */
export const TOKEN_EXAMPLE = '0123456789abcdef0123456789abcdef';
const TOKEN_KIND = 'code, access, refresh or temp';

/** Codes and tokens of the addressed world: list them, end one now. */
export const TOKEN_ROUTES: readonly ControlRoute[] = [
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
];
