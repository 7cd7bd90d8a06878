import { z } from 'zod';
import { scenarioSelectionSchema } from './inputs/schemas.js';
import { requestMatchSchema, VALUE_MATCHER_SCHEMA } from '../core/matching/json-schema.js';
import { scenarioJsonSchema } from '../core/scenarios/json-schema.js';
import { scenarioSchema } from '../core/scenarios/schema.js';
import { REVOKE_REASONS, TOKEN_KINDS, TOKEN_STATES } from '../core/state/token-record.js';
import { ref } from './openapi-parts.js';

/** Shapes the control plane answers with, as OpenAPI 3.1 (JSON Schema 2020-12) components. */

const str = { type: 'string' };
const int = { type: 'integer' };
const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties), extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required,
  ...extra,
});

const clock = obj({
  now: { ...str, format: 'date-time', description: 'Sandbox time, ISO-8601 UTC' },
  epochMs: { ...int, description: 'Sandbox time, epoch milliseconds' },
  rate: { type: 'number', description: 'Sandbox seconds per host second (0 = frozen)' },
  offsetMs: { ...int, description: 'How far the sandbox clock is from host time' },
});

const tokenState = { type: 'string', enum: [...TOKEN_STATES] };

const token = obj(
  {
    value: str,
    platform: str,
    kind: { type: 'string', enum: [...TOKEN_KINDS] },
    appId: str,
    subject: { ...str, description: 'The user the token speaks for' },
    scopes: { type: 'array', items: str },
    issuedAt: { ...int, description: 'Sandbox epoch ms' },
    expiresAt: { type: ['integer', 'null'], description: 'Sandbox epoch ms; null = never' },
    ttl: { type: ['integer', 'null'], description: 'Lifetime announced to the client, seconds' },
    usedAt: int,
    revokedAt: int,
    revokedReason: { type: 'string', enum: [...REVOKE_REASONS] },
    graceUntil: int,
    family: str,
    pair: str,
    replacedBy: str,
    data: { type: 'object' },
    state: tokenState,
    expiresInSeconds: { type: ['integer', 'null'] },
  },
  ['value', 'platform', 'kind', 'appId', 'subject', 'issuedAt', 'expiresAt', 'ttl', 'family', 'state', 'expiresInSeconds'],
);

const journalEntry = obj(
  {
    id: int,
    time: { ...int, description: 'Sandbox epoch ms when the request arrived' },
    session: { ...str, description: '"default" or the session id' },
    platform: { ...str, description: 'The platform that answered; for an unmatched request the platform whose prefix it was under, or ""' },
    endpoint: { ...str, description: 'Endpoint name (token.as, refreshAccessToken, gateway.do, ...); "" when no endpoint matched' },
    matched: { type: 'boolean', description: 'false when no endpoint matched the request (unknown path, wrong HTTP method, wrong platform prefix)' },
    hint: { ...str, description: 'For a request no endpoint matched: the endpoints it was probably meant for (one line)' },
    apiMethod: { ...str, description: 'The business method a gateway call named (open.auth.token.app, GET_BOXES, ...)' },
    method: { ...str, description: 'The HTTP method' },
    path: str,
    status: int,
    durationMs: { type: 'number' },
    request: obj(
      {
        query: { type: 'object' },
        body: {},
        contentType: str,
        headers: {
          type: 'object',
          additionalProperties: str,
          description: 'Request headers, lower-case names; Authorization, cookies and the admin token masked',
        },
        rawQuery: { ...str, description: 'The query string as sent, without "?" (secret-named values masked)' },
        bodySize: { ...int, description: 'Body length in bytes' },
      },
      ['query', 'body'],
    ),
    response: obj({ contentType: str, body: {} }, ['body']),
    rule: { ...str, description: 'The fault rule that shaped the answer, when one did' },
    note: { ...str, description: 'Why the platform refused, when its answer cannot say (a timestamp hours off: the client time zone)' },
    upstream: obj(
      {
        url: { ...str, description: 'Where the request was forwarded (--upstream)' },
        durationMs: { type: 'number' },
        error: { ...str, description: 'Why no answer came (the client got the platform\'s "system busy")' },
        parity: obj(
          {
            differences: {
              type: 'array',
              items: { type: 'object' },
              description: 'With --shadow: as GET /__sandbox/parity lists them (with the recording-line seq)',
            },
          },
          ['differences'],
        ),
      },
      ['url', 'durationMs'],
    ),
  },
  ['id', 'time', 'session', 'platform', 'endpoint', 'matched', 'method', 'path', 'status', 'durationMs', 'request', 'response'],
);

const faultView = {
  type: 'object',
  description: 'A fault rule (the fields of the scenario schema) with its counters',
  properties: { id: str, scenario: str, calls: int, fired: int },
  required: ['id', 'scenario', 'calls', 'fired'],
};

const scenarioView = obj({
  active: {
    type: 'array',
    items: obj({ name: str, description: str, source: { ...str, description: '"builtin", a file path, "inline" or "runtime"' } }, ['name', 'source']),
  },
  policy: { type: 'object', description: 'The composed lifecycle overrides in force, per platform id' },
  faults: { type: 'array', items: ref('FaultView') },
  clock: ref('Clock'),
});

const session = obj({
  id: str,
  url: { ...str, description: 'Base URL of every platform in this session' },
  headers: obj({ 'X-Sandbox-Session': str }),
  createdAt: { ...str, format: 'date-time' },
  scenarios: { type: 'array', items: str },
  tokens: int,
  clock: ref('Clock'),
});

const platformSummary = obj(
  {
    id: str,
    title: str,
    baseUrls: { type: 'array', items: str },
    credentials: { type: 'array', items: obj({ label: str, value: str }) },
    timestampUtcOffsetMinutes: {
      ...int,
      description: 'The UTC offset in which the platform reads the timestamps clients sign (absent where clients sign none)',
    },
  },
  ['id', 'title', 'baseUrls', 'credentials'],
);

/** Schemas that request bodies embed and the document holds once, as components. */
const shared = z.registry<{ id: string }>();
shared.add(scenarioSchema, { id: 'Scenario' });

/** A request body's JSON Schema, generated from the zod schema the control plane validates with. */
export function bodySchema(schema: z.ZodType): Record<string, unknown> {
  const {
    $schema: _dialect,
    $defs: _defs,
    ...generated
  } = z.toJSONSchema(schema, { metadata: shared, io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return JSON.parse(JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
}

/** The scenario file schema, as published in schemas/scenario.schema.json (it has no $defs, so it embeds as is). */
function scenarioComponent(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = scenarioJsonSchema();
  return schema;
}

export function components(): Record<string, unknown> {
  return {
    schemas: {
      Error: obj({ error: { ...str, description: 'Machine-readable code' }, message: { ...str, description: 'What is wrong and how to fix it' } }),
      ScenarioError: obj({
        error: { type: 'string', enum: ['unknown_scenario', 'invalid_scenario'] },
        message: str,
        issues: { type: 'array', items: obj({ file: str, path: { ...str, description: 'JSON path inside the scenario' }, message: str }) },
      }),
      Health: obj(
        {
          status: { type: 'string', enum: ['ok', 'unavailable'] },
          reason: { ...str, description: 'Why the sandbox is not ready (with status "unavailable")' },
          version: str,
          platforms: { type: 'array', items: str },
          uptimeSeconds: int,
          pid: { ...int, description: 'The process that answered (several serve one port with --workers)' },
          store: { type: 'string', enum: ['memory', 'shared'], description: 'Where this sandbox keeps its state' },
        },
        ['status', 'version', 'platforms', 'uptimeSeconds', 'pid', 'store'],
      ),
      PlatformSummary: platformSummary,
      Clock: clock,
      JournalEntry: journalEntry,
      Token: token,
      Scenario: scenarioComponent(),
      ScenarioSelection: bodySchema(scenarioSelectionSchema),
      ScenarioView: scenarioView,
      FaultView: faultView,
      Session: session,
      ValueMatcher: VALUE_MATCHER_SCHEMA,
      RequestMatch: requestMatchSchema('#/components/schemas/ValueMatcher'),
      VerifyRequest: {
        type: 'object',
        properties: {
          match: ref('RequestMatch'),
          count: { ...int, minimum: 0, description: 'Exactly this many' },
          atLeast: { ...int, minimum: 0 },
          atMost: { ...int, minimum: 0 },
        },
        additionalProperties: false,
        description: 'count alone, or atLeast and/or atMost; none: at least 1',
      },
      Verification: obj({ count: int, report: str }),
      VerificationFailure: obj({
        error: { type: 'string', const: 'verification_failed' },
        message: { ...str, description: 'The report: the count, and the nearest misses with the criterion each failed' },
        count: int,
        nearMisses: {
          type: 'array',
          items: obj({
            id: { ...int, description: 'Journal id' },
            request: str,
            failed: { type: 'array', items: obj({ criterion: str, expected: str, actual: str }) },
          }),
        },
      }),
    },
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description:
          'The admin token: required when the sandbox listens on an address other machines can reach (--host 0.0.0.0) or was started with --admin-token',
      },
      adminTokenHeader: { type: 'apiKey', in: 'header', name: 'X-Sandbox-Admin-Token', description: 'The admin token, as a header' },
      adminTokenQuery: {
        type: 'apiKey',
        in: 'query',
        name: 'token',
        description: 'The admin token once in a browser (/__sandbox/?token=...); a cookie carries it afterwards',
      },
    },
    parameters: {
      Session: {
        name: 'X-Sandbox-Session',
        in: 'header',
        required: false,
        description: 'Act on this session instead of the default world (the same as the /s/{session}/__sandbox server)',
        schema: { type: 'string' },
      },
    },
  };
}
