import type { ControlRoute, RawAnswer } from '../control-route.js';
import { readClockChange, readExportName } from '../inputs/read.js';
import { clockChangeSchema } from '../inputs/schemas.js';
import { errorResponse as err, json, query, ref } from '../openapi-parts.js';
import { badBody, unknownSession } from './responses.js';

/** The addressed world as a whole: its clock, a reset to the fixtures, and an export as a scenario file. */
export const CLOCK_ROUTES: readonly ControlRoute[] = [
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
];

export const RESET_ROUTE: ControlRoute = {
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
};

export const EXPORT_ROUTE: ControlRoute = {
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
};
