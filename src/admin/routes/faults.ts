import { ControlError } from '../../core/errors/control-error.js';
import type { ControlRoute } from '../control-route.js';
import { errorResponse as err, json, list, pathParam, ref } from '../openapi-parts.js';
import { counted, scenarioErrors, unknownSession } from './responses.js';

/** An example rule the OpenAPI test sends, so it stays true. */
const FAULT_EXAMPLE = { id: 'refresh-500', platform: 'mantun', endpoint: 'refresh.as', nth: 2, respond: { status: 500 } };

/** Fault rules armed one by one over the active scenarios of the addressed world. */
export const FAULT_ROUTES: readonly ControlRoute[] = [
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
];
