import { AssertionError } from 'node:assert';
import { useSandbox } from '../helpers/sandbox.js';
import { gatewayParams, getTokens, postGateway, tokenBiz } from '../helpers/sop.js';

const t = useSandbox();

/** POST JSON as any HTTP client would, and read the answer as JSON: no helper of ours in between. */
async function postJson(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${t().sb.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A SOP app's code exchange, then one refresh with the refresh token it got. */
async function exchangeThenRefresh(): Promise<void> {
  const now = t().sb.clock.now();
  const tokens = await getTokens(t().http, now);
  const refreshed = await postGateway(
    t().http,
    gatewayParams('open.auth.token.app', now, tokenBiz({ grant_type: 'refresh_token', refresh_token: tokens.app_refresh_token })),
    { 'user-agent': 'okhttp/4.12.0' },
  );
  expect(refreshed.body.open_auth_token_app_response.app_auth_token).toMatch(/^[0-9a-f]{32}$/);
}

const REFRESH = { platform: 'sop', method: 'open.auth.token.app', params: { grant_type: 'refresh_token' } };

describe('POST /__sandbox/requests/verify', () => {
  test('200 with the count when it holds', async () => {
    await exchangeThenRefresh();
    const res = await postJson('/__sandbox/requests/verify', { match: REFRESH, count: 1 });
    expect(res).toEqual({
      status: 200,
      body: {
        count: 1,
        report:
          'Expected exactly 1 request matching {"platform":"sop","method":"open.auth.token.app","params":{"grant_type":"refresh_token"}}; 1 matched (of 3 in the journal).',
      },
    });
    expect((await postJson('/__sandbox/requests/verify', { match: { ...REFRESH, params: { app_id: { matches: '^2019' } } }, atLeast: 2 })).status).toBe(200);
  });

  test('417 with a report naming the nearest miss, its failed criterion and actual value', async () => {
    await exchangeThenRefresh();
    const res = await postJson('/__sandbox/requests/verify', { match: REFRESH, count: 2 });
    expect(res.status).toBe(417);
    expect(res.body.error).toBe('verification_failed');
    expect(res.body.count).toBe(1);
    const [exchange] = (await t().http.get('/__sandbox/requests?platform=sop&params.grant_type=authorization_code')).body.requests;
    const [login] = (await t().http.get('/__sandbox/requests?endpoint=authorize')).body.requests;
    // The code exchange missed by one criterion, the login form by two: closest first.
    expect(res.body.nearMisses).toEqual([
      {
        id: exchange.id,
        request: 'POST / → 200 sop/gateway open.auth.token.app',
        failed: [{ criterion: 'params.grant_type', expected: '"refresh_token"', actual: '"authorization_code"' }],
      },
      {
        id: login.id,
        request: 'POST /oauth2/authorize → 302 sop/authorize',
        failed: [
          { criterion: 'method', expected: '"open.auth.token.app"', actual: '(absent)' },
          { criterion: 'params.grant_type', expected: '"refresh_token"', actual: '(absent)' },
        ],
      },
    ]);
    expect(res.body.message).toBe(
      [
        'Expected exactly 2 requests matching {"platform":"sop","method":"open.auth.token.app","params":{"grant_type":"refresh_token"}}; 1 matched (of 3 in the journal).',
        'Nearest misses (all but one or two criteria met):',
        `  #${exchange.id} POST / → 200 sop/gateway open.auth.token.app: params.grant_type was "authorization_code", expected "refresh_token"`,
        `  #${login.id} POST /oauth2/authorize → 302 sop/authorize: method was (absent), expected "open.auth.token.app"; params.grant_type was (absent), expected "refresh_token"`,
      ].join('\n'),
    );
  });

  test('a near miss by a header: the refresh came from okhttp, not from curl', async () => {
    await exchangeThenRefresh();
    const res = await postJson('/__sandbox/requests/verify', { match: { ...REFRESH, headers: { 'user-agent': { contains: 'curl' } } } });
    expect(res.status).toBe(417);
    expect(res.body.message).toContain('headers.user-agent was "okhttp/4.12.0", expected containing "curl"');
  });

  test.each<[unknown, string]>([
    [{ match: { platfrom: 'sop' } }, '"match" has an unknown field "platfrom" (did you mean "platform"?)'],
    [{ match: { params: { app_id: { matches: '[' } } } }, '"match.params.app_id.matches" is not a valid regular expression'],
    [{ match: {}, count: 'one' }, '"count" must be a whole number ≥ 0, got "one".'],
    [{ match: {}, times: 1 }, 'Unknown field(s) times: a verification takes match and one of count, atLeast, atMost.'],
    [[1], 'Send a JSON object such as {"match": {"platform": "sop", "params": {"grant_type": "refresh_token"}}, "count": 1}.'],
  ])('a bad body %j is a 400 that says what is wrong', async (body, message) => {
    const res = await postJson('/__sandbox/requests/verify', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(String(res.body.message).startsWith(message)).toBe(true);
  });
});

describe('GET /__sandbox/requests with matchers', () => {
  test('the query-string form: params (business content included), headers, match=<JSON>', async () => {
    await exchangeThenRefresh();
    const get = async (q: string) => (await t().http.get(`/__sandbox/requests?${q}`)).body;
    expect((await get('params.grant_type=refresh_token')).count).toBe(1);
    expect((await get('platform=sop&method=open.auth.token.app')).count).toBe(2);
    expect((await get('headers.user-agent=okhttp/4.12.0')).count).toBe(1);
    expect((await get(`match=${encodeURIComponent('{"params":{"grant_type":{"matches":"_code$"}}}')}`)).count).toBe(1);
    const bad = await t().http.get('/__sandbox/requests?params.grant_type=x&match=%7B');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^"match" must be a JSON matcher such as/);
  });
});

describe('in-process: sb.requests(match) and sb.verify(match, expectation)', () => {
  test('verify returns the count when it holds and throws an AssertionError with the same report when not', async () => {
    await exchangeThenRefresh();
    expect(t().sb.requests({ params: { grant_type: 'refresh_token' } })).toHaveLength(1);
    expect(t().sb.verify(REFRESH, { count: 1 }).count).toBe(1);
    let thrown: unknown;
    try {
      t().sb.verify(REFRESH, { atMost: 0 });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AssertionError);
    const http = await postJson('/__sandbox/requests/verify', { match: REFRESH, atMost: 0 });
    expect((thrown as AssertionError).message).toBe(http.body.message);
    expect(() => t().sb.requests({ params: { a: { matchs: 'x' } } } as never)).toThrow(
      '"filter.params.a" has an unknown operator "matchs" (did you mean "matches"?)',
    );
  });

  test("a session's verify counts that session's requests only", async () => {
    const s = await t().sb.sessions.create({ id: 'v1' });
    await exchangeThenRefresh();
    expect(() => s.verify({ platform: 'sop' })).toThrow(AssertionError);
    expect(s.verify({ platform: 'sop' }, { count: 0 }).count).toBe(0);
  });
});
