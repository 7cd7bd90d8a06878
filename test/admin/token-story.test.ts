import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import * as mantun from '../helpers/mantun.js';
import * as sop from '../helpers/sop.js';

/**
 * GET /__sandbox/tokens/<value>/story: a token family as a timeline, each step linked to the journal request
 * that caused it and the scenario rule that shaped that request's answer. Read as a client reads JSON.
 */

interface Step {
  at: number;
  event: string;
  kind: string;
  value: string;
  text: string;
  request?: { id: number; method: string; path: string; status: number; rule?: string };
  rule?: string;
}
interface Story {
  token: { platform: string; kind: string; value: string };
  family: string;
  now: number;
  members: { value: string; kind: string; state: string }[];
  steps: Step[];
}
interface Entry {
  id: number;
  method: string;
  path: string;
  status: number;
  rule?: string;
}

let t: TestSandbox;
afterEach(() => t?.close());

const story = async (value: string, query: Record<string, string> = {}, prefix = '') => {
  const res = await t.http.get(`${prefix}/__sandbox/tokens/${encodeURIComponent(value)}/story`).query(query);
  expect([res.status, res.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
  return res.body as Story;
};
/** A step as a line of the picture: what, which member, which request, which rule. */
const line = (s: Step) => [s.event, s.kind, s.value, s.request?.id, s.rule];

const refresh = (token: string) =>
  t.http
    .post('/oauth/refresh.as')
    .type('form')
    .send(mantun.form(mantun.refreshParams(token)));

/** Every step's request is the journal's entry with that id, as GET /__sandbox/requests shows it. */
async function expectLinksMatchJournal(s: Story): Promise<void> {
  const journal = new Map(((await t.http.get('/__sandbox/requests')).body.requests as Entry[]).map((e) => [e.id, e]));
  for (const step of s.steps.filter((x) => x.request)) {
    const e = journal.get(step.request!.id)!;
    expect([step.request!.method, step.request!.path, step.request!.status, step.request!.rule, step.rule]).toEqual([
      e.method,
      e.path,
      e.status,
      e.rule,
      e.rule,
    ]);
  }
}

test('the lost-refresh bug on a frozen clock: the rotation the rule answered with a reset, the tokens nobody received, the retry that revoked the family', async () => {
  t = await startTestSandbox({ scenario: ['rotation-strict', 'refresh-response-lost'] });
  expect((await t.http.post('/__sandbox/clock').send({ rate: 0 })).status).toBe(200);
  const m = await mantun.getTokens(t.http);
  const call = await t.http
    .post('/invoke/router.as')
    .type('form')
    .send(mantun.form(mantun.routerParams(m.accessToken, 'GET_PROJECTS', t.sb.clock.now())));
  expect(call.body.success).toBe(true);
  await expect(refresh(m.refreshToken)).rejects.toThrow(/socket hang up|ECONNRESET/);
  const retry = await refresh(m.refreshToken);
  expect(retry.body).toEqual({ success: false, code: '10021', message: 'refresh_token has already been used' });

  const s = await story(m.accessToken);
  const tokens = (await t.http.get('/__sandbox/tokens').query({ platform: 'mantun' })).body.tokens as { value: string; kind: string; family: string }[];
  const [code, access1, refresh1, access2, refresh2] = tokens.map((x) => x.value);
  expect(tokens.map((x) => x.kind)).toEqual(['code', 'access', 'refresh', 'access', 'refresh']);
  expect([s.token, s.family]).toEqual([{ platform: 'mantun', kind: 'access', value: m.accessToken }, tokens[0].family]);
  expect(s.members.map((x) => [x.value, x.state])).toEqual(tokens.map((x) => [x.value, 'revoked']));
  // Journal ids: 1 authverify2 (the code), 2 token.as, 3 router.as, 4 the lost refresh, 5 the retry.
  expect(s.steps.map(line)).toEqual([
    ['issued', 'code', code, 1, undefined],
    ['used', 'code', code, 2, undefined],
    ['issued', 'access', access1, 2, undefined],
    ['issued', 'refresh', refresh1, 2, undefined],
    ['presented', 'access', access1, 3, undefined],
    ['rotated', 'refresh', refresh1, 4, 'refresh-response-lost'],
    ['issued', 'access', access2, 4, 'refresh-response-lost'],
    ['issued', 'refresh', refresh2, 4, 'refresh-response-lost'],
    ['revoked', 'code', code, 5, undefined],
    ['revoked', 'access', access1, 5, undefined],
    ['revoked', 'refresh', refresh1, 5, undefined],
    ['revoked', 'access', access2, 5, undefined],
    ['revoked', 'refresh', refresh2, 5, undefined],
  ]);
  expect(s.steps[5].text).toBe(`refresh token spent and replaced by ${refresh2.slice(0, 8)}…`);
  expect(s.steps[6].text).toBe('access issued for 13800000000 (lifetime 1h); no answer in the journal carried it');
  expect(s.steps[12].text).toBe('revoked with its whole family: a spent code or refresh token was presented again');
  expect(s.steps[5].request).toMatchObject({ method: 'POST', path: '/oauth/refresh.as', status: 0, rule: 'refresh-response-lost' });
  await expectLinksMatchJournal(s);
  // Every member tells the same story.
  expect((await story(refresh2)).steps).toEqual(s.steps);
  expect((await story(code, { kind: 'code' })).steps).toEqual(s.steps);
});

test('grace on a running clock: the refresh that put the old access token in grace, the call it still served, and the ends by the clock', async () => {
  t = await startTestSandbox({ scenario: 'grace-10min' });
  const m = await mantun.getTokens(t.http);
  const refreshed = await refresh(m.refreshToken);
  expect(refreshed.body.success).toBe(true);
  const inGrace = await t.http
    .post('/invoke/router.as')
    .type('form')
    .send(mantun.form(mantun.routerParams(m.accessToken, 'GET_PROJECTS', t.sb.clock.now())));
  expect(inGrace.body.success).toBe(true);
  expect((await t.http.post('/__sandbox/clock').send({ advance: '2h' })).status).toBe(200);

  const s = await story(m.accessToken);
  const newAccess = refreshed.body.data.accessToken as string;
  const newRefresh = refreshed.body.data.refreshToken as string;
  const lines = s.steps.map((x) => [x.event, x.value, x.request?.id, x.text]);
  expect(lines).toEqual([
    ['issued', expect.any(String), 1, 'code issued for 13800000000 (lifetime 10m)'],
    ['used', expect.any(String), 2, 'code exchanged for tokens'],
    ['issued', m.accessToken, 2, 'access issued for 13800000000 (lifetime 1h)'],
    ['issued', m.refreshToken, 2, 'refresh issued for 13800000000 (lifetime 30d)'],
    ['rotated', m.refreshToken, 3, `refresh token spent and replaced by ${newRefresh.slice(0, 8)}…`],
    ['issued', newAccess, 3, 'access issued for 13800000000 (lifetime 1h)'],
    ['issued', newRefresh, 3, 'refresh issued for 13800000000 (lifetime 30d)'],
    ['grace', m.accessToken, 3, expect.stringMatching(/^a refresh replaced it; it keeps working until \d{4}-\d\d-\d\dT[\d:.]+Z \(grace\)$/)],
    ['presented', m.accessToken, 4, 'access presented; answered 200'],
    ['expired', m.accessToken, undefined, 'grace period over'],
    ['expired', newAccess, undefined, 'its lifetime of 1h ran out'],
  ]);
  // On the sandbox clock: grace ends 10 minutes after the refresh, the new token an hour after it.
  const at = (event: string, value: string) => s.steps.find((x) => x.event === event && x.value === value)!.at;
  expect(at('expired', m.accessToken) - at('grace', m.accessToken)).toBe(600_000);
  expect(at('expired', newAccess) - at('issued', newAccess)).toBe(3_600_000);
  await expectLinksMatchJournal(s);
});

test('a revoke from the control plane is a step with no request; an SOP code issued by a redirect links to it', async () => {
  t = await startTestSandbox();
  const tokens = await sop.getTokens(t.http, t.sb.clock.now());
  const revoked = await t.http.post(`/__sandbox/tokens/${tokens.app_refresh_token}/revoke`);
  expect(revoked.status).toBe(200);
  const s = await story(tokens.app_auth_token);
  const journal = (await t.http.get('/__sandbox/requests')).body.requests as { id: number; path: string; status: number }[];
  const authorize = journal.find((e) => e.status === 302)!;
  expect(s.steps.map((x) => [x.event, x.kind, x.request?.id ?? null])).toEqual([
    ['issued', 'code', authorize.id],
    ['used', 'code', authorize.id + 1],
    ['issued', 'access', authorize.id + 1],
    ['issued', 'refresh', authorize.id + 1],
    ['revoked', 'refresh', null],
  ]);
  expect(s.steps[4].text).toBe('revoked by the control plane (Revoke)');
});

describe('refusals', () => {
  test('an unknown value, a bad kind, and a value of another world each say what to do', async () => {
    t = await startTestSandbox();
    const unknown = await t.http.get('/__sandbox/tokens/5be24c70a717cd9bc237ffb2f7c3de79/story');
    expect([unknown.status, unknown.body]).toEqual([
      404,
      { error: 'unknown_token', message: 'No code or token "5be24c70a717cd9bc237ffb2f7c3de79" in this world; GET /__sandbox/tokens lists them.' },
    ]);
    const m = await mantun.getTokens(t.http);
    const badKind = await t.http.get(`/__sandbox/tokens/${m.accessToken}/story`).query({ kind: 'acess' });
    expect([badKind.status, badKind.body]).toEqual([
      400,
      { error: 'invalid_request', message: '"kind" must be one of code, access, refresh, temp, got "acess".' },
    ]);
    const badPlatform = await t.http.get(`/__sandbox/tokens/${m.accessToken}/story`).query({ platform: 'mantum' });
    expect([badPlatform.status, badPlatform.body.error]).toEqual([400, 'invalid_request']);
    // A session's tokens are its own: the default world does not know them, the session's control plane does.
    expect((await t.http.post('/__sandbox/sessions').send({ id: 'w1' })).status).toBe(201);
    const inSession = await mantun.getTokensAt(`${t.sb.url}/s/w1`);
    expect((await t.http.get(`/__sandbox/tokens/${inSession.accessToken}/story`)).status).toBe(404);
    const s = await story(inSession.accessToken, {}, '/s/w1');
    expect(s.steps.map((x) => x.event)).toEqual(['issued', 'used', 'issued', 'issued']);
    expect(s.steps.every((x) => x.request !== undefined)).toBe(true);
  });
});

test('a value a scenario seeded with quotes and markup is found in the requests that carried it, and the path takes it URL-encoded', async () => {
  t = await startTestSandbox();
  const value = 'tok"en<1>&x=2';
  const seeded = await t.http
    .put('/__sandbox/scenario')
    .send({ name: 'odd', state: { tokens: [{ platform: 'mantun', kind: 'access', value, appId: mantun.APP.appKey, subject: mantun.USER.uname }] } });
  expect(seeded.status).toBe(200);
  const call = await t.http
    .post('/invoke/router.as')
    .type('form')
    .send(mantun.form(mantun.routerParams(value, 'GET_PROJECTS', t.sb.clock.now())));
  expect(call.body.success).toBe(true);
  const s = await story(value);
  expect(s.steps.map((x) => [x.event, x.value, x.request?.path ?? null, x.text])).toEqual([
    ['issued', value, null, 'access issued for 13800000000 (lifetime 1h); no answer in the journal carried it'],
    ['presented', value, '/invoke/router.as', 'access presented; answered 200'],
  ]);
  // A value that is only a prefix of the seeded one is not it.
  expect((await t.http.get(`/__sandbox/tokens/${encodeURIComponent('tok"en')}/story`)).status).toBe(404);
});
