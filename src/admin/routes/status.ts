import type { ControlRoute, RawAnswer } from '../control-route.js';
import { json, ref } from '../openapi-parts.js';

/** Is the sandbox up, what does it describe itself as, and where are its platforms. */
export const STATUS_ROUTES: readonly ControlRoute[] = [
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
];

export const PLATFORMS_ROUTE: ControlRoute = {
  method: 'get',
  path: '/platforms',
  operationId: 'listPlatforms',
  summary: 'Base URLs and test credentials of every platform',
  responses: {
    '200': json('The platforms', { type: 'object', properties: { platforms: { type: 'array', items: ref('PlatformSummary') } }, required: ['platforms'] }),
  },
  handle: ({ control, baseUrl }) => ({ platforms: control.platformSummaries(baseUrl) }),
};
