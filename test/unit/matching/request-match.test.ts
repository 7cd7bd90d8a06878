import { ControlError } from '../../../src/core/errors/control-error.js';
import type { JournalEntry } from '../../../src/core/journal.js';
import { readMatch, readMatchQuery } from '../../../src/core/matching/read-match.js';
import { CompiledMatch, type RequestMatch } from '../../../src/core/matching/request-match.js';
import { entrySubject } from '../../../src/core/matching/subjects.js';
import { readExpectation, verifyRequests } from '../../../src/core/matching/verify.js';

let nextId = 1;
const entry = (over: Partial<JournalEntry> = {}): JournalEntry => ({
  id: nextId++,
  time: Date.parse('2026-05-01T02:00:00Z'),
  session: 'default',
  platform: 'sop',
  endpoint: 'gateway',
  matched: true,
  apiMethod: 'open.auth.token.app',
  method: 'POST',
  path: '/',
  status: 200,
  durationMs: 1,
  request: {
    query: {},
    body: { app_id: '2019032617262200001', method: 'open.auth.token.app', biz_content: '{"grant_type":"refresh_token","refresh_token":"abc"}' },
    headers: { 'user-agent': 'okhttp/4.12.0', 'content-type': 'application/x-www-form-urlencoded' },
  },
  response: { body: {} },
  ...over,
});

const hits = (match: RequestMatch, e: JournalEntry = entry()) => new CompiledMatch(readMatch(match)).test(entrySubject(e));

describe('the operators', () => {
  test('a string is equals; equals, contains, matches, present, absent', () => {
    expect(hits({ platform: 'sop' })).toBe(true);
    expect(hits({ platform: 'so' })).toBe(false);
    expect(hits({ platform: { equals: 'sop' } })).toBe(true);
    expect(hits({ headers: { 'user-agent': { contains: 'okhttp' } } })).toBe(true);
    expect(hits({ headers: { 'user-agent': { contains: 'curl' } } })).toBe(false);
    expect(hits({ params: { app_id: { matches: '^2019' } } })).toBe(true);
    expect(hits({ params: { app_id: { matches: '^2020' } } })).toBe(false);
    expect(hits({ params: { app_id: { present: true } } })).toBe(true);
    expect(hits({ params: { app_auth_token: { present: true } } })).toBe(false);
    expect(hits({ params: { app_auth_token: { absent: true } } })).toBe(true);
    expect(hits({ params: { app_id: { absent: true } } })).toBe(false);
  });

  test('every criterion must hold', () => {
    expect(hits({ platform: 'sop', method: 'open.auth.token.app', status: 200 })).toBe(true);
    expect(hits({ platform: 'sop', method: 'open.auth.token.app', status: 400 })).toBe(false);
    expect(hits({ status: { matches: '^2' }, httpMethod: 'POST', path: '/', session: 'default', matched: true })).toBe(true);
  });

  test("params read a gateway's business content: SOP's biz_content (a JSON text), ZJRC's bizContent (an object in the journal)", () => {
    expect(hits({ params: { grant_type: 'refresh_token', refresh_token: 'abc' } })).toBe(true);
    expect(hits({ params: { grant_type: 'authorization_code' } })).toBe(false);
    const zjrc = entry({ platform: 'zjrc', request: { query: {}, body: { appId: 'z1', bizContent: { openId: 'o-1', n: 7 } } } });
    expect(hits({ params: { openId: 'o-1', n: '7' } }, zjrc)).toBe(true);
  });

  test('header names are case-insensitive; query params count as params', () => {
    expect(hits({ headers: { 'User-Agent': { contains: 'okhttp' } } })).toBe(true);
    expect(hits({ params: { trace: '1' } }, entry({ request: { query: { trace: '1' }, body: undefined } }))).toBe(true);
  });

  test('an unmatched request kept its body as text: a form body is read as params', () => {
    const miss = entry({ matched: false, endpoint: '', platform: '', request: { query: {}, body: 'grant_type=refresh_token&client_id=O1' } });
    expect(hits({ matched: false, params: { grant_type: 'refresh_token' } }, miss)).toBe(true);
  });

  test('a time window, on sandbox time, both ends included', () => {
    expect(hits({ since: '2026-05-01T02:00:00Z', until: Date.parse('2026-05-01T02:00:00Z') })).toBe(true);
    expect(hits({ since: '2026-05-01T02:00:01Z' })).toBe(false);
  });
});

test('a criterion given as undefined asks for nothing (an optional argument passed along)', () => {
  expect(readMatch({ platform: undefined, params: { grant_type: 'refresh_token' } })).toEqual({ params: { grant_type: 'refresh_token' } });
});

describe('a bad matcher says what is wrong', () => {
  test.each<[unknown, string]>([
    [
      { platfrom: 'sop' },
      '"match" has an unknown field "platfrom" (did you mean "platform"?); a matcher takes platform, endpoint, method, httpMethod, path, session, status, matched, since, until, params, headers.',
    ],
    [
      { params: { app_id: { regex: '^20' } } },
      '"match.params.app_id" has an unknown operator "regex"; use a string (equals) or one of {"equals": "..."}, {"contains": "..."}, {"matches": "<regular expression>"}, {"present": true}, {"absent": true}.',
    ],
    [{ params: { app_id: { matchs: '^20' } } }, '"match.params.app_id" has an unknown operator "matchs" (did you mean "matches"?); use a string (equals)'],
    [
      { params: { app_id: { matches: '(' } } },
      '"match.params.app_id.matches" is not a valid regular expression: Invalid regular expression: /(/: Unterminated group.',
    ],
    [{ params: { app_id: { equals: 'a', contains: 'b' } } }, '"match.params.app_id" must name exactly one operator, got "equals" and "contains"'],
    [{ params: { app_id: { present: 'yes' } } }, '"match.params.app_id.present" must be true, got "yes".'],
    [{ params: { app_id: 7 } }, '"match.params.app_id" must be a string (equals) or one of'],
    [{ params: 'grant_type=x' }, '"match.params" must be an object of names to matchers, such as {"grant_type": "refresh_token"}; got "grant_type=x".'],
    [{ status: 2.5 }, '"match.status" must be an HTTP status such as 200, got 2.5.'],
    [{ matched: 'false' }, '"match.matched" must be true or false, got "false".'],
    [{ since: 'yesterday' }, '"match.since" must be an ISO-8601 time such as "2026-01-01T08:00:00+08:00" or epoch milliseconds, got "yesterday".'],
    [['sop'], '"match" must be an object with any of platform'],
  ])('%j', (match, message) => {
    let thrown: unknown;
    try {
      readMatch(match);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ControlError);
    expect((thrown as ControlError).kind).toBe('invalid_request');
    expect((thrown as ControlError).message.startsWith(message)).toBe(true);
  });

  test('counts: count alone, or atLeast / atMost that some count can satisfy', () => {
    expect(readExpectation({ count: 1 })).toEqual({ count: 1 });
    expect(() => readExpectation({ count: 1, atLeast: 1 })).toThrow('Give "count" alone, or "atLeast" and/or "atMost", not both.');
    expect(() => readExpectation({ atLeast: 3, atMost: 2 })).toThrow('"atLeast" (3) is more than "atMost" (2): no count can satisfy both.');
    expect(() => readExpectation({ count: -1 })).toThrow('"count" must be a whole number ≥ 0, got -1.');
  });
});

test('the query-string form: dotted params and headers, equals only; match=<JSON> for the other operators', () => {
  expect(
    readMatchQuery({ 'params.grant_type': 'refresh_token', matched: 'false', status: '404', 'headers.user-agent': 'okhttp', limit: '3' }, ['limit']),
  ).toEqual({
    params: { grant_type: 'refresh_token' },
    matched: false,
    status: 404,
    headers: { 'user-agent': 'okhttp' },
  });
  expect(readMatchQuery({ match: '{"params":{"app_id":{"matches":"^2019"}}}', platform: 'sop' })).toEqual({
    platform: 'sop',
    params: { app_id: { matches: '^2019' } },
  });
  expect(readMatchQuery({ platform: '', endpoint: 'token.as', 'params.code': '' })).toEqual({ endpoint: 'token.as', params: { code: '' } });
  expect(() => readMatchQuery({ platform: ['a', 'b'] })).toThrow('"platform" is given more than once; give it once (or use match=<JSON>).');
  expect(() => readMatchQuery({ match: '{' })).toThrow(/^"match" must be a JSON matcher/);
});

describe('verification', () => {
  const refresh = entry();
  const exchange = entry({ request: { query: {}, body: { app_id: '2019032617262200001', biz_content: '{"grant_type":"authorization_code","code":"c1"}' } } });
  const other = entry({ platform: 'mantun', endpoint: 'token.as', apiMethod: undefined, path: '/oauth/token.as', request: { query: {}, body: {} } });
  const journal = [other, exchange, refresh];

  test('holds: the count and a one-line report', () => {
    const v = verifyRequests(journal, { platform: 'sop', params: { grant_type: 'refresh_token' } }, { count: 1 });
    expect(v).toEqual({
      ok: true,
      count: 1,
      nearMisses: [],
      report: 'Expected exactly 1 request matching {"platform":"sop","params":{"grant_type":"refresh_token"}}; 1 matched (of 3 in the journal).',
    });
  });

  test('fails: the nearest misses, each with the criterion it failed and what it had', () => {
    const v = verifyRequests(journal, { platform: 'sop', method: 'open.auth.token.app', params: { grant_type: 'refresh_token' } }, { count: 2 });
    expect(v.ok).toBe(false);
    expect(v.count).toBe(1);
    expect(v.nearMisses).toEqual([
      {
        id: exchange.id,
        request: 'POST / → 200 sop/gateway open.auth.token.app',
        failed: [{ criterion: 'params.grant_type', expected: '"refresh_token"', actual: '"authorization_code"' }],
      },
    ]);
    expect(v.report).toBe(
      [
        'Expected exactly 2 requests matching {"platform":"sop","method":"open.auth.token.app","params":{"grant_type":"refresh_token"}}; 1 matched (of 3 in the journal).',
        'Nearest misses (all but one criterion met):',
        `  #${exchange.id} POST / → 200 sop/gateway open.auth.token.app: params.grant_type was "authorization_code", expected "refresh_token"`,
      ].join('\n'),
    );
  });

  test('a request that missed every criterion is no near miss; the report says when none came close', () => {
    const v = verifyRequests([other], { platform: 'zjrc', status: 500 }, {});
    expect(v.report).toBe(
      'Expected at least 1 request matching {"platform":"zjrc","status":500}; 0 matched (of 1 in the journal).\nNo request came within two criteria of the match.',
    );
  });

  test('atMost and atLeast', () => {
    expect(verifyRequests(journal, { platform: 'sop' }, { atMost: 1 }).ok).toBe(false);
    expect(verifyRequests(journal, { platform: 'sop' }, { atLeast: 2, atMost: 2 }).ok).toBe(true);
    expect(verifyRequests(journal, { platform: 'zjrc' }, { atMost: 0 }).ok).toBe(true);
  });
});
