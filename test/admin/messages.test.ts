import { MAX_SESSIONS } from '../../src/core/sessions/registry.js';
import { startTestSandbox, useSandbox } from '../helpers/sandbox.js';

/**
 * Every refusal of the control plane, word for word: what was wrong and how to fix it. A change to a
 * message shows here first (MSW's practice: the message is part of the interface).
 */

const t = useSandbox();

const DURATION = 'a duration such as "3601s", "30m", "1h", "1d", "1h30m" or a number of seconds';
const SCENARIO_USAGE =
  'Send {"name": "<scenario>"}, {"scenarios": ["<name>", {...inline scenario}]}, {"scenario": {...}} or a scenario object itself; add "add": true to lay it over the active ones.';
const SESSION_USAGE =
  'Send a JSON object: {} or {"id": "worker-1", "scenario": "rotation-strict"} (scenario: a name, an inline scenario, or "scenarios": [...]).';
const ROUTES =
  'GET /health, GET /health/live, GET /openapi.json, GET / (dashboard), GET /events, GET /platforms, GET|POST /clock, GET|DELETE /requests, POST /requests/verify, GET /tokens, POST /tokens/<value>/<action>, GET /tokens/<value>/story, GET /parity, POST /reset, GET /scenarios, GET|PUT|DELETE /scenario, GET|POST|DELETE /faults, DELETE /faults/<id>, GET|POST|DELETE /sessions, GET|DELETE /sessions/<id>, GET /export, GET|POST /usercenter/validate-code';

type Case = [method: 'get' | 'post' | 'put' | 'delete', path: string, body: unknown, status: number, error: string, message: string];

const CASES: Case[] = [
  ['get', '/__sandbox/nope', undefined, 404, 'not_found', `No control-plane route for GET /__sandbox/nope. Routes: ${ROUTES}.`],
  [
    'post',
    '/__sandbox/clock',
    {},
    400,
    'invalid_request',
    `Send a JSON object with one of "advance" (${DURATION}), "set" (an ISO-8601 time or epoch milliseconds), "rate" (a number ≥ 0) or "reset": true.`,
  ],
  ['post', '/__sandbox/clock', { advance: '1h', speed: 2 }, 400, 'invalid_request', 'Unknown field(s) speed: use advance, set, rate or reset.'],
  ['post', '/__sandbox/clock', { advance: 'soon' }, 400, 'invalid_request', `"advance" must be ${DURATION}, got "soon".`],
  [
    'post',
    '/__sandbox/clock',
    { set: 'tomorrow' },
    400,
    'invalid_request',
    '"set" must be an ISO-8601 time such as "2026-01-01T08:00:00+08:00" or epoch milliseconds, got "tomorrow".',
  ],
  [
    'post',
    '/__sandbox/clock',
    { rate: -1 },
    400,
    'invalid_request',
    '"rate" must be a number ≥ 0 (1 = real time, 60 = a minute per second, 0 = frozen), got -1.',
  ],
  ['post', '/__sandbox/clock', { reset: 'yes' }, 400, 'invalid_request', '"reset" must be true (back to host time), got "yes".'],
  ['get', '/__sandbox/requests?limit=x', undefined, 400, 'invalid_request', '"limit" must be a whole number, got "x".'],
  ['get', '/__sandbox/requests?status=2.5', undefined, 400, 'invalid_request', '"status" must be a whole number, got "2.5".'],
  [
    'get',
    '/__sandbox/tokens?order=random',
    undefined,
    400,
    'invalid_request',
    '"order" must be "oldest" (issue order, the default) or "newest", got "random".',
  ],
  ['post', '/__sandbox/tokens/abc/delete', undefined, 404, 'not_found', 'No token action "delete": use POST /__sandbox/tokens/<value>/expire or /revoke.'],
  [
    'post',
    '/__sandbox/tokens/abc/expire?platform=nope',
    undefined,
    400,
    'invalid_request',
    '"platform" must be one of mantun, usercenter, sop, zjrc, got "nope".',
  ],
  ['post', '/__sandbox/tokens/abc/expire?kind=cookie', undefined, 400, 'invalid_request', '"kind" must be one of code, access, refresh, temp, got "cookie".'],
  [
    'post',
    '/__sandbox/tokens/abc/expire?platform=sop',
    undefined,
    404,
    'unknown_token',
    'No code or token "abc" (sop) in this world; GET /__sandbox/tokens lists them.',
  ],
  ['put', '/__sandbox/scenario', [], 400, 'invalid_request', SCENARIO_USAGE],
  ['put', '/__sandbox/scenario', { add: 'yes', name: 'flaky' }, 400, 'invalid_request', '"add" must be true or false, got "yes".'],
  ['put', '/__sandbox/scenario', { scenario: 'flaky', extra: 1 }, 400, 'invalid_request', `Unknown field(s) extra beside "scenario(s)". ${SCENARIO_USAGE}`],
  [
    'put',
    '/__sandbox/scenario',
    { scenarios: [] },
    400,
    'invalid_request',
    `"scenarios" must be a non-empty array of names and scenario objects. ${SCENARIO_USAGE}`,
  ],
  ['put', '/__sandbox/scenario', { colour: 'red' }, 400, 'invalid_request', `Unknown field(s) colour. ${SCENARIO_USAGE}`],
  // A misspelt field gets the field it most likely meant; one with no near neighbour (colour) gets none.
  [
    'put',
    '/__sandbox/scenario',
    { polcy: { refresh: 'rotate' } },
    400,
    'invalid_request',
    `Unknown field(s) polcy (did you mean "policy"?). ${SCENARIO_USAGE}`,
  ],
  ['put', '/__sandbox/scenario', { nme: 'rotation-strict' }, 400, 'invalid_request', `Unknown field(s) nme (did you mean "name"?). ${SCENARIO_USAGE}`],
  [
    'put',
    '/__sandbox/scenario',
    { scenario: 'flaky', ad: true },
    400,
    'invalid_request',
    `Unknown field(s) ad (did you mean "add"?) beside "scenario(s)". ${SCENARIO_USAGE}`,
  ],
  [
    'post',
    '/__sandbox/clock',
    { advnace: '1h' },
    400,
    'invalid_request',
    'Unknown field(s) advnace (did you mean "advance"?): use advance, set, rate or reset.',
  ],
  [
    'post',
    '/__sandbox/sessions',
    { idd: 'w1', scenarios: ['flaky'] },
    400,
    'invalid_request',
    'Unknown field(s) idd (did you mean "id"?): a session takes "id", "scenario" or "scenarios".',
  ],
  [
    'post',
    '/__sandbox/faults',
    [1],
    400,
    'invalid_request',
    'Send one fault rule as a JSON object, e.g. {"endpoint": "token.as", "nth": 2, "respond": {"status": 500}}.',
  ],
  [
    'delete',
    '/__sandbox/faults/nope',
    undefined,
    404,
    'not_found',
    'No armed fault rule "nope"; GET /__sandbox/faults lists them (rules of scenarios go with DELETE /__sandbox/scenario).',
  ],
  ['post', '/__sandbox/sessions', [1], 400, 'invalid_request', SESSION_USAGE],
  ['post', '/__sandbox/sessions', { name: 'x' }, 400, 'invalid_request', 'Unknown field(s) name: a session takes "id", "scenario" or "scenarios".'],
  ['post', '/__sandbox/sessions', { id: 7 }, 400, 'invalid_request', '"id" must be a string, got 7.'],
  [
    'post',
    '/__sandbox/sessions',
    { id: 'a b' },
    400,
    'invalid_request',
    '"id" must be 1 to 64 letters, digits, "_" or "-" (starting with a letter or digit), got "a b".',
  ],
  [
    'get',
    '/__sandbox/sessions/nope',
    undefined,
    404,
    'unknown_session',
    'No session "nope": it was never created or has been ended; GET /__sandbox/sessions lists the open ones, POST /__sandbox/sessions creates one.',
  ],
  [
    'delete',
    '/__sandbox/sessions/nope',
    undefined,
    404,
    'unknown_session',
    'No session "nope": it was never created or has been ended; GET /__sandbox/sessions lists the open ones, POST /__sandbox/sessions creates one.',
  ],
  [
    'get',
    '/s/nope/__sandbox/clock',
    undefined,
    404,
    'unknown_session',
    'No session "nope": it was never created or has been ended; GET /__sandbox/sessions lists the open ones, POST /__sandbox/sessions creates one.',
  ],
  ['get', '/__sandbox/export?name=a%20b', undefined, 400, 'invalid_request', '"name" must be letters, digits, ".", "_" or "-" (at most 64), got "a b".'],
  ['get', '/__sandbox/events?since=x', undefined, 400, 'invalid_request', '"since" (or Last-Event-ID) must be a journal id (a whole number), got "x".'],
  ['get', '/mantun/oauth/token.as', undefined, 405, 'method_not_allowed', 'GET is not served at /mantun/oauth/token.as; use POST.'],
  [
    'get',
    '/nowhere',
    undefined,
    404,
    'not_found',
    'No platform endpoint at GET /nowhere. Platforms: /mantun, /usercenter, /sop, /zjrc; control plane: /__sandbox/.',
  ],
];

describe('every control-plane refusal says what was wrong and how to fix it', () => {
  test.each(CASES)('%s %s %j → %i %s', async (method, path, body, status, error, message) => {
    let req = t().http[method](path);
    if (body !== undefined) req = req.send(body as object);
    const res = await req;
    expect([res.status, res.body]).toEqual([status, { error, message }]);
  });

  test('a body that is not JSON, too deep or too large', async () => {
    const bad = await t().http.post('/__sandbox/clock').set('content-type', 'application/json').send('{"advance":');
    expect([bad.status, bad.body.error]).toEqual([400, 'invalid_request']);
    expect(bad.body.message).toMatch(/^The body is not valid JSON: .+\.$/);
    const deep = await t()
      .http.post('/__sandbox/clock')
      .set('content-type', 'application/json')
      .send(`${'['.repeat(70)}${']'.repeat(70)}`);
    expect([deep.status, deep.body]).toEqual([400, { error: 'invalid_request', message: 'The body is nested more than 64 levels deep.' }]);
    const large = await t()
      .http.post('/__sandbox/clock')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ advance: 'x'.repeat(2 * 1024 * 1024) }));
    expect([large.status, large.body]).toEqual([413, { error: 'payload_too_large', message: 'The body is larger than the limit of 1048576 bytes.' }]);
  });

  test('scenarios that do not load: the library names what it has; every issue has its path', async () => {
    const unknown = await t().http.put('/__sandbox/scenario').send({ name: 'rotation-strikt' });
    expect([unknown.status, unknown.body.error]).toEqual([404, 'unknown_scenario']);
    expect(unknown.body.message).toMatch(
      /^rotation-strikt: unknown scenario "rotation-strikt" \(did you mean "rotation-strict"\?\); the library has callback-url-missing, /,
    );
    const invalid = await t()
      .http.put('/__sandbox/scenario')
      .send({ clock: { skew: 'soon' } });
    expect([invalid.status, invalid.body]).toEqual([
      400,
      {
        error: 'invalid_scenario',
        message: 'request body: clock.skew: expected a duration such as "5m", "+5m", "-5m", "250ms" or a number of seconds (got "soon")',
        issues: [
          { file: 'request body', path: 'clock.skew', message: 'expected a duration such as "5m", "+5m", "-5m", "250ms" or a number of seconds (got "soon")' },
        ],
      },
    ]);
  });

  test('a taken session id, and the session cap', async () => {
    await t().http.post('/__sandbox/sessions').send({ id: 'w1' }).expect(201);
    const taken = await t().http.post('/__sandbox/sessions').send({ id: 'w1' });
    expect([taken.status, taken.body]).toEqual([
      409,
      { error: 'session_exists', message: 'Session "w1" already exists; DELETE /__sandbox/sessions/w1 first or pick another id.' },
    ]);
    for (let i = 1; i < MAX_SESSIONS; i++) await t().sb.sandbox.sessions.create();
    const full = await t().http.post('/__sandbox/sessions').send({});
    expect([full.status, full.body]).toEqual([
      429,
      {
        error: 'too_many_sessions',
        message: `${MAX_SESSIONS} sessions are open, the cap (--max-sessions, maxSessions); end the ones you are done with (DELETE /__sandbox/sessions/<id>) or start the sandbox with a higher --max-sessions.`,
      },
    ]);
  });

  test('a value on several platforms or kinds must be picked', async () => {
    const token = { platform: 'mantun', kind: 'access', value: 'same-value', appId: 'O000000049', subject: 'u' };
    await t()
      .http.put('/__sandbox/scenario')
      .send({ state: { tokens: [token, { ...token, kind: 'refresh' }] } })
      .expect(200);
    const res = await t().http.post('/__sandbox/tokens/same-value/expire');
    expect([res.status, res.body]).toEqual([
      409,
      { error: 'ambiguous_token', message: '"same-value" is a mantun access and a mantun refresh; add ?platform=<id>&kind=<kind> to pick one.' },
    ]);
  });
});

test('with an admin token: the refusal says where to put the token', async () => {
  const secured = await startTestSandbox({ adminToken: 'ci-only-token' });
  try {
    const res = await secured.http.get('/__sandbox/clock');
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('unauthorized');
    expect(res.body.message).toContain(
      'Send "Authorization: Bearer <token>" or "X-Sandbox-Admin-Token: <token>"; in a browser open /__sandbox/?token=<token> once.',
    );
  } finally {
    await secured.close();
  }
});
