import type { ControlRoute } from '../control-route.js';
import { readSelection } from '../inputs/read.js';
import { json, ref } from '../openapi-parts.js';
import { scenarioErrors, unknownSession } from './responses.js';

/** The scenario library and what is active in the addressed world. */
export const SCENARIO_ROUTES: readonly ControlRoute[] = [
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
];
