import { findToken } from '../../control/find-token.js';
import { buildTokenStory, STORY_EVENTS } from '../../control/token-story.js';
import type { ControlRoute } from '../control-route.js';
import { readTokenPick } from '../inputs/read.js';
import { errorResponse as err, json, pathParam, query, ref } from '../openapi-parts.js';

/** A family of a million members is not a story anyone reads; a load test's long refresh chain stops here. */
const MEMBERS_LIMIT = 1000;

const stepSchema = {
  type: 'object',
  properties: {
    at: { type: 'integer', description: 'Sandbox epoch ms' },
    event: { type: 'string', enum: [...STORY_EVENTS] },
    kind: { type: 'string' },
    value: { type: 'string' },
    text: { type: 'string' },
    request: {
      type: 'object',
      description: 'The journal request that caused the step (absent when the control plane did it, or the journal no longer holds it)',
      properties: {
        id: { type: 'integer' },
        time: { type: 'integer' },
        method: { type: 'string' },
        path: { type: 'string' },
        endpoint: { type: 'string' },
        apiMethod: { type: 'string' },
        status: { type: 'integer' },
        rule: { type: 'string' },
      },
      required: ['id', 'time', 'method', 'path', 'endpoint', 'status'],
    },
    rule: { type: 'string', description: "The scenario fault rule that shaped that request's answer" },
  },
  required: ['at', 'event', 'kind', 'value', 'text'],
};

/**
 * GET /__sandbox/tokens/{value}/story: the family of a code or token as a timeline, each step linked to the
 * journal request that caused it (the dashboard's token story). Read-only.
 */
export const TOKEN_STORY_ROUTE: ControlRoute = {
  method: 'get',
  path: '/tokens/{value}/story',
  operationId: 'tokenStory',
  world: true,
  summary: 'The family of one code or token as a timeline on the sandbox clock, each step linked to the request and the scenario rule behind it',
  description:
    'Steps: issued, used (a code), rotated (a refresh token spent and replaced), grace, expired, revoked, and presented (any other request that carried the value). When the value exists on several platforms or kinds, ?platform=&kind= pick one.',
  parameters: [
    { ...pathParam('value', 'The code or token, as the client holds it', '0123456789abcdef0123456789abcdef') },
    query('platform', 'Platform id, to pick one'),
    query('kind', 'code, access, refresh or temp, to pick one'),
  ],
  responses: {
    '200': json('The story', {
      type: 'object',
      properties: {
        token: { type: 'object', properties: { platform: { type: 'string' }, kind: { type: 'string' }, value: { type: 'string' } } },
        family: { type: 'string' },
        now: { type: 'integer' },
        members: { type: 'array', items: ref('Token') },
        steps: { type: 'array', items: stepSchema },
        presentedLimit: { type: 'integer' },
        journalFrom: { type: 'integer' },
      },
      required: ['token', 'family', 'now', 'members', 'steps', 'presentedLimit'],
    }),
    '400': err('invalid_request: an unknown platform or kind'),
    '404': err('unknown_token (no such value in this world) or unknown_session'),
    '409': err('ambiguous_token: the value exists on several platforms or kinds; add ?platform=&kind='),
  },
  handle: async ({ control, world, params, query: q }) => {
    const target = await findToken(world, params.value, readTokenPick(q.platform, q.kind, control.platformIds));
    const members = await world.tokens.list({ platform: target.platform, where: (rec) => rec.family === target.family, limit: MEMBERS_LIMIT });
    const entries = await control.requests({ session: world.id });
    return buildTokenStory(target, members, entries, world.clock.now());
  },
};

/** The one record a value names (the same refusals as the expire and revoke routes). */
