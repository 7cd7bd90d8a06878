import type { ScenarioSelection, SessionRequest, TokenAction, TokenPick, TokenQuery } from '../../control/types.js';
import { ControlError } from '../../core/errors/control-error.js';
import type { JournalFilter } from '../../core/journal.js';
import { readMatchQuery } from '../../core/matching/read-match.js';
import { readExpectation, type Expectation } from '../../core/matching/verify.js';
import { TOKEN_KINDS, type TokenKind } from '../../core/state/token-record.js';
import type { ClockChange } from '../../core/time/clock.js';
import { parseInput } from './parse.js';
import { readScenarioSelection } from './scenario-selection.js';
import { clockChangeSchema, EXPORT_NAME, sessionRequestShape } from './schemas.js';
import { unknownFields } from './unknown-fields.js';

/**
 * What arrives over HTTP (JSON bodies, path segments, query strings) read into the control service's
 * types. Every refusal is a ControlError whose message says what is accepted.
 */

/** Query values as Express hands them over: strings, arrays of them, or nested objects. */
export type Query = Record<string, unknown>;

const invalid = (message: string) => new ControlError('invalid_request', message);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function readClockChange(body: unknown): ClockChange {
  return parseInput(clockChangeSchema, body);
}

function wholeNumber(query: Query, key: string): number | undefined {
  if (query[key] === undefined) return undefined;
  const n = Number(query[key]);
  if (!Number.isInteger(n) || n < 0) throw invalid(`"${key}" must be a whole number, got ${JSON.stringify(query[key])}.`);
  return n;
}

/** `?platform=sop&params.grant_type=refresh_token&matched=false&limit=20` (or `match=<JSON>`): a matcher and a limit. */
export function readJournalFilter(query: Query): JournalFilter {
  const limit = wholeNumber(query, 'limit');
  return { ...readMatchQuery(query, ['limit']), ...(limit !== undefined ? { limit } : {}) };
}

/** `{"match": {...}, "count": 1}` (or atLeast / atMost): what POST /requests/verify takes. */
export function readVerifyRequest(body: unknown): { match: unknown; expectation: Expectation } {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw invalid('Send a JSON object such as {"match": {"platform": "sop", "params": {"grant_type": "refresh_token"}}, "count": 1}.');
  const b = body as Record<string, unknown>;
  const fields = ['match', 'count', 'atLeast', 'atMost'];
  const unknown = Object.keys(b).filter((k) => !fields.includes(k));
  if (unknown.length) throw invalid(`Unknown field(s) ${unknownFields(unknown, fields)}: a verification takes match and one of count, atLeast, atMost.`);
  return { match: b.match, expectation: readExpectation(b) };
}

export function readTokenQuery(query: Query): TokenQuery {
  if (query.order !== undefined && query.order !== 'oldest' && query.order !== 'newest') {
    throw invalid(`"order" must be "oldest" (issue order, the default) or "newest", got ${JSON.stringify(query.order)}.`);
  }
  return {
    platform: text(query.platform),
    kind: text(query.kind) as TokenKind | undefined,
    state: text(query.state),
    limit: Number(query.limit) || undefined,
    order: query.order,
  };
}

export function readTokenAction(action: string): TokenAction {
  if (action !== 'expire' && action !== 'revoke')
    throw new ControlError('not_found', `No token action "${action}": use POST /__sandbox/tokens/<value>/expire or /revoke.`);
  return action;
}

/** ?platform=&kind= (or the same fields in a JSON body): which record a value names. */
export function readTokenPick(platform: unknown, kind: unknown, platformIds: readonly string[]): TokenPick {
  if (platform !== undefined && typeof platform !== 'string')
    throw invalid(`"platform" must be one of ${platformIds.join(', ')}, got ${JSON.stringify(platform)}.`);
  if (kind !== undefined && (typeof kind !== 'string' || !(TOKEN_KINDS as readonly string[]).includes(kind)))
    throw invalid(`"kind" must be one of ${TOKEN_KINDS.join(', ')}, got ${JSON.stringify(kind)}.`);
  return { platform, kind: kind as TokenKind | undefined };
}

export function readExportName(name: unknown): string | undefined {
  if (name !== undefined && (typeof name !== 'string' || !EXPORT_NAME.test(name))) {
    throw invalid(`"name" must be letters, digits, ".", "_" or "-" (at most 64), got ${JSON.stringify(name)}.`);
  }
  return name;
}

export function readSelection(body: unknown): ScenarioSelection {
  const selection = readScenarioSelection(body);
  if (typeof selection === 'string') throw invalid(selection);
  return selection;
}

export function readSessionRequest(body: unknown): SessionRequest {
  const request = parseInput(sessionRequestShape, body ?? {});
  const named = request.scenario !== undefined || request.scenarios !== undefined;
  return { id: request.id, scenarios: named ? readSelection({ scenario: request.scenario, scenarios: request.scenarios }).refs : undefined };
}
