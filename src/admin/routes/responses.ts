import { errorResponse as err, json, ref } from '../openapi-parts.js';
import type { RawAnswer } from '../control-route.js';

/** OpenAPI responses several route groups share, and the shapes of their answers. */

export const unknownSession = { '404': err('unknown_session: the session named by the header or the /s/{session} prefix does not exist') };
export const badBody = {
  '400': err('invalid_request: the body is not valid JSON or not what the route takes (the message says what is)'),
  '413': err('payload_too_large: the body is over --body-limit'),
};
export const scenarioErrors = {
  '400': json('invalid_request (body shape) or invalid_scenario (every issue with its file and JSON path)', { oneOf: [ref('Error'), ref('ScenarioError')] }),
  '404': json('unknown_scenario (the message names the library) or unknown_session', { oneOf: [ref('ScenarioError'), ref('Error')] }),
  '413': badBody['413'],
};
export const empty = (status: number): RawAnswer => ({ raw: true, status });
/** `{"count": n, "<name>": [...]}`, the shape of every listing. */
export const counted = <K extends string, T>(name: K, items: T[]) => ({ count: items.length, [name]: items }) as { count: number } & Record<K, T[]>;
