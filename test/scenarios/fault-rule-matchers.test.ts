import { useSandbox } from '../helpers/sandbox.js';
import { form, APP as MANTUN_APP } from '../helpers/mantun.js';
import { gatewayParams, getTokens, HEX32, postGateway, tokenBiz, type SopTokens } from '../helpers/sop.js';
import { networkError } from './support.js';

const t = useSandbox();

const TOKEN_KEY = 'open_auth_token_app_response';
const refresh = (tokens: SopTokens) =>
  postGateway(
    t().http,
    gatewayParams('open.auth.token.app', t().sb.clock.now(), tokenBiz({ grant_type: 'refresh_token', refresh_token: tokens.app_refresh_token })),
  );

describe('fault rules take params and headers matchers', () => {
  test('a rule on params.grant_type=refresh_token hits the SOP refresh only, not the code exchange of the same method', async () => {
    const armed = await t()
      .http.post('/__sandbox/faults')
      .send({ id: 'sop-refresh-503', platform: 'sop', method: 'open.auth.token.app', params: { grant_type: 'refresh_token' }, respond: { status: 503 } });
    expect(armed.status).toBe(201);
    // The code exchange goes through: same gateway, same method, another grant type.
    const tokens = await getTokens(t().http, t().sb.clock.now());
    expect(tokens.app_auth_token).toMatch(HEX32);
    const refused = await refresh(tokens);
    expect(refused.status).toBe(503);
    const faults = (await t().http.get('/__sandbox/faults')).body.faults;
    expect(faults).toMatchObject([{ id: 'sop-refresh-503', calls: 1, fired: 1 }]);
    const shaped = (await t().http.get('/__sandbox/requests?platform=sop&method=open.auth.token.app')).body.requests.map(
      (e: { rule?: string; status: number }) => [e.status, e.rule],
    );
    expect(shaped).toEqual([
      [503, 'sop-refresh-503'],
      [200, undefined],
    ]);
  });

  test("a rule on a header (the SDK's user agent) hits only the requests that send it", async () => {
    await t()
      .http.post('/__sandbox/faults')
      .send({ platform: 'mantun', endpoint: 'authverify2.as', headers: { 'User-Agent': { contains: 'okhttp' } }, respond: { status: 500 } });
    const login = (agent: string) =>
      t()
        .http.post('/oauth/authverify2.as')
        .set('user-agent', agent)
        .type('form')
        .send(form({ response_type: 'code', client_id: MANTUN_APP.appKey, redirect_uri: MANTUN_APP.redirectUri, uname: '13800000000', passwd: 'sandbox123' }));
    expect((await login('curl/8.5.0')).status).toBe(200);
    expect((await login('okhttp/4.12.0')).status).toBe(500);
  });

  test("params matchers read SOP's business content with the other operators too; absent", async () => {
    await t()
      .http.post('/__sandbox/faults')
      .send({ platform: 'sop', params: { app_id: { matches: '^2019' }, code: { absent: true }, refresh_token: { present: true } }, respond: { status: 502 } });
    const tokens = await getTokens(t().http, t().sb.clock.now());
    expect((await refresh(tokens)).status).toBe(502);
  });

  test.each<[Record<string, unknown>, string, string]>([
    [{ params: { grant_type: { regex: 'x' } } }, 'faults[0].params.grant_type', 'has an unknown operator "regex"'],
    [{ params: { grant_type: { matches: '(' } } }, 'faults[0].params.grant_type', '"matches" is not a valid regular expression'],
    [{ headers: { 'user-agent': 7 } }, 'faults[0].headers.user-agent', 'must be a string (equals) or one of'],
  ])('a bad matcher in a rule %j is refused with its path and what is wrong', async (bad, path, message) => {
    const res = await t()
      .http.post('/__sandbox/faults')
      .send({ platform: 'sop', ...bad, respond: { status: 500 } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_scenario');
    expect(res.body.issues).toEqual([
      expect.objectContaining({ path: expect.stringContaining(path.replace(/^faults\[0\]\./, '')), message: expect.stringContaining(message) }),
    ]);
    expect((await t().http.get('/__sandbox/faults')).body.count).toBe(0);
  });
});

describe('SOP refreshes are tagged "refresh"', () => {
  test('a tag:"refresh" rule on SOP is accepted and skips the code exchange', async () => {
    const armed = await t()
      .http.post('/__sandbox/faults')
      .send({ platform: 'sop', tag: 'refresh', respond: { status: 500 } });
    expect(armed.status).toBe(201);
    const tokens = await getTokens(t().http, t().sb.clock.now());
    expect((await refresh(tokens)).status).toBe(500);
  });

  test('refresh-response-lost covers SOP: the refresh happens, its answer is lost, the retry with the old token is refused', async () => {
    await t().sb.scenario.use('refresh-response-lost');
    const tokens = await getTokens(t().http, t().sb.clock.now());
    expect(await networkError(refresh(tokens))).toBe('ECONNRESET');
    const retry = await refresh(tokens);
    expect(retry.status).toBe(200);
    expect(retry.body[TOKEN_KEY]).toMatchObject({ error: 'invalid_token' });
  });
});
