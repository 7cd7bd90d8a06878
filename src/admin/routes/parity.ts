import { differenceText, type Difference } from '../../compare/difference.js';
import type { ControlRoute } from '../control-route.js';
import { readJournalFilter } from '../inputs/read.js';
import { errorResponse as err, json, query } from '../openapi-parts.js';

/** One difference `--shadow` found, as `GET /__sandbox/parity` lists it. */
export type ParityLine = Omit<Difference, 'seq'> & { request: number; time: number; session: string; text: string };

const lineSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['behaviour', 'data'], description: 'behaviour: what a client notices; data: a value only the real account holds' },
    platform: { type: 'string' },
    endpoint: { type: 'string' },
    apiMethod: { type: 'string' },
    path: { type: 'string', description: 'status, content-type, location.<part> or a JSON path ($.data.expiresIn)' },
    real: { type: 'string' },
    sandbox: { type: 'string' },
    why: { type: 'string' },
    setting: {
      type: 'object',
      description: 'The fixture setting that makes the sandbox answer as the real platform did',
      properties: { path: { type: 'array', items: { type: 'string' } }, value: {} },
      required: ['path', 'value'],
    },
    request: { type: 'integer', description: 'The journal entry of the forwarded exchange' },
    time: { type: 'integer', description: 'Sandbox epoch ms of the exchange' },
    session: { type: 'string' },
    text: { type: 'string', description: 'The line `sandbox compare` prints for it' },
  },
  required: ['kind', 'platform', 'endpoint', 'path', 'real', 'sandbox', 'request', 'time', 'session', 'text'],
};

/**
 * GET /__sandbox/parity: with `--upstream … --shadow`, where the sandbox's own answer to a forwarded exchange
 * differed from the real platform's, oldest first. Read from the journal, so it holds what the journal holds.
 */
export const PARITY_ROUTE: ControlRoute = {
  method: 'get',
  path: '/parity',
  operationId: 'listParity',
  summary: 'With --shadow: where the sandbox answered forwarded exchanges otherwise than the real platform, with the fixture setting that fixes each',
  description: 'Empty without --shadow. Takes the journal filters of GET /requests (platform, endpoint, session, since, ...).',
  parameters: [
    query('platform', 'Only this platform id'),
    query('endpoint', 'Only this endpoint name'),
    query('session', 'Only this session ("default" for the default world)'),
  ],
  responses: {
    '200': json('The differences', {
      type: 'object',
      properties: { count: { type: 'integer' }, compared: { type: 'integer' }, differences: { type: 'array', items: lineSchema } },
      required: ['count', 'compared', 'differences'],
    }),
    '400': err('invalid_request: a filter that is not what it must be (the message says which)'),
  },
  handle: async ({ control, query: q }) => {
    const entries = (await control.requests(readJournalFilter(q))).filter((e) => e.upstream?.parity).reverse();
    const differences: ParityLine[] = entries.flatMap((e) =>
      e.upstream!.parity!.differences.map(({ seq: _seq, ...d }) => ({
        ...d,
        request: e.id,
        time: e.time,
        session: e.session,
        text: differenceText({ ...d, seq: _seq }),
      })),
    );
    return { count: differences.length, compared: entries.length, differences };
  },
};
