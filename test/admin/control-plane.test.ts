import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, form, getCode, getTokens, refreshParams, routerParams, tokenParams } from '../helpers/mantun.js';

let t: TestSandbox;
beforeEach(async () => {
  t = await startTestSandbox();
});
afterEach(() => t.close());

describe('/__sandbox/health', () => {
  test('answers 200 with the platforms once ready', async () => {
    const res = await t.http.get('/__sandbox/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', platforms: expect.arrayContaining(['mantun']) });
  });
});

describe('/__sandbox/clock', () => {
  test('GET shows the sandbox time', async () => {
    const res = await t.http.get('/__sandbox/clock');
    expect(res.status).toBe(200);
    expect(Math.abs(res.body.epochMs - Date.now())).toBeLessThan(5000);
    expect(res.body.now).toBe(new Date(res.body.epochMs).toISOString());
    expect(res.body.rate).toBe(1);
  });

  test('POST set, advance and rate', async () => {
    const set = await t.http.post('/__sandbox/clock').send({ set: '2026-01-01T00:00:00Z', rate: 0 });
    expect(set.body).toMatchObject({ now: '2026-01-01T00:00:00.000Z', rate: 0 });
    const adv = await t.http.post('/__sandbox/clock').send({ advance: '1h30m' });
    expect(adv.body.now).toBe('2026-01-01T01:30:00.000Z');
    const back = await t.http.post('/__sandbox/clock').send({ reset: true });
    expect(Math.abs(back.body.epochMs - Date.now())).toBeLessThan(5000);
  });

  test.each([
    [{}, 'Send a JSON object with one of "advance"'],
    [{ advance: 'soon' }, '"advance" must be a duration such as "3601s", "30m", "1h", "1d", "1h30m" or a number of seconds, got "soon".'],
    [{ set: 'tomorrow' }, '"set" must be an ISO-8601 time such as "2026-01-01T08:00:00+08:00" or epoch milliseconds, got "tomorrow".'],
    [{ rate: -1 }, '"rate" must be a number ≥ 0 (1 = real time, 60 = a minute per second, 0 = frozen), got -1.'],
    [{ advance: '1h', speed: 2 }, 'Unknown field(s) speed: use advance, set, rate or reset.'],
    [{ set: '2030-01-01T00:00:00Z', rate: -1 }, '"rate" must be a number ≥ 0'],
    [{ set: '2030-01-01T00:00:00Z', advance: 'later' }, '"advance" must be a duration'],
  ])('refuses %j with a message that says how to fix it', async (body, message) => {
    const before = (await t.http.get('/__sandbox/clock')).body.epochMs;
    const res = await t.http.post('/__sandbox/clock').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.message.startsWith(message)).toBe(true);
    expect(Math.abs((await t.http.get('/__sandbox/clock')).body.epochMs - before)).toBeLessThan(5000);
  });

  test('invalid JSON gets a JSON error, not a stack trace', async () => {
    const res = await t.http.post('/__sandbox/clock').set('content-type', 'application/json').send('{"advance":');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.message).toMatch(/^The body is not valid JSON/);
    expect(res.text).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('/__sandbox/requests', () => {
  test('lists recent requests newest first, with the response body and secrets masked', async () => {
    const { accessToken } = await getTokens(t.http);
    await t.http
      .post('/invoke/router.as')
      .type('form')
      .send(form(routerParams(accessToken, 'GET_PROJECTS', t.sb.clock.now())));
    const res = await t.http.get('/__sandbox/requests');
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    const [router, token, auth] = res.body.requests;
    expect([router.endpoint, token.endpoint, auth.endpoint]).toEqual(['router.as', 'token.as', 'authverify2.as']);
    expect(router).toMatchObject({ platform: 'mantun', method: 'POST', path: '/invoke/router.as', status: 200, session: 'default' });
    expect(router.response.body).toMatchObject({ success: true, code: '0' });
    expect(router.request.body.sign).toBe('***');
    expect(router.request.body.access_token).toBe(accessToken);
    expect(auth.request.body.passwd).toBe('***');
    expect(token.request.body.client_secret).toBe('***');
    expect(JSON.stringify(res.body)).not.toContain('sandbox123');
    expect(JSON.stringify(res.body)).not.toContain(APP.appSecret);
  });

  test('filters by platform, endpoint, status and limit; DELETE clears', async () => {
    const code = await getCode(t.http);
    await t.http
      .post('/oauth/token.as')
      .type('form')
      .send(form(tokenParams(code)));
    await t.http.post('/oauth/token.as').set('content-type', 'application/json').send('{}');
    expect((await t.http.get('/__sandbox/requests?endpoint=token.as')).body.count).toBe(2);
    expect((await t.http.get('/__sandbox/requests?platform=mantun&status=400')).body.requests.map((r: { endpoint: string }) => r.endpoint)).toEqual([
      'token.as',
    ]);
    expect((await t.http.get('/__sandbox/requests?platform=sop')).body.count).toBe(0);
    expect((await t.http.get('/__sandbox/requests?limit=1')).body.count).toBe(1);
    expect((await t.http.get('/__sandbox/requests?limit=many')).status).toBe(400);
    expect((await t.http.delete('/__sandbox/requests')).status).toBe(204);
    expect((await t.http.get('/__sandbox/requests')).body).toEqual({ count: 0, requests: [] });
  });

  test('the journal is bounded', async () => {
    const small = await startTestSandbox({ journalSize: 5 });
    try {
      for (let i = 0; i < 12; i++) await small.http.post('/oauth/token.as').set('content-type', 'application/json').send('{}');
      const res = await small.http.get('/__sandbox/requests');
      expect(res.body.count).toBe(5);
      expect(res.body.requests[0].id).toBe(12);
      expect(res.body.requests[4].id).toBe(8);
    } finally {
      await small.close();
    }
  });
});

describe('/__sandbox/reset and /__sandbox/tokens', () => {
  test('tokens lists issued tokens with their state; reset forgets them', async () => {
    const first = await getTokens(t.http);
    await t.http
      .post('/oauth/refresh.as')
      .type('form')
      .send(form(refreshParams(first.refreshToken)));
    const listed = await t.http.get('/__sandbox/tokens?platform=mantun');
    const byValue = new Map(listed.body.tokens.map((x: { value: string; state: string }) => [x.value, x.state]));
    expect(byValue.get(first.accessToken)).toBe('active');
    expect(byValue.get(first.refreshToken)).toBe('rotated');
    expect((await t.http.get('/__sandbox/tokens?kind=code')).body.tokens[0].state).toBe('used');

    const reset = await t.http.post('/__sandbox/reset');
    expect(reset.body).toEqual({ status: 'reset', tokens: 0 });
    const router = await t.http
      .post('/invoke/router.as')
      .type('form')
      .send(form(routerParams(first.accessToken, 'GET_PROJECTS', t.sb.clock.now())));
    expect(router.body.code).toBe('10030');
  });

  test('unknown control-plane routes say which exist', async () => {
    const res = await t.http.get('/__sandbox/nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
    expect(res.body.message).toContain('GET /health');
  });
});

describe('requests that match no platform', () => {
  test('an unknown path is a JSON 404 naming the platforms', async () => {
    const res = await t.http.get('/no/such/path');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });

  test('a known path with the wrong method is a 405 with Allow', async () => {
    const res = await t.http.get('/oauth/token.as');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body).toEqual({ error: 'method_not_allowed', message: 'GET is not served at /oauth/token.as; use POST.' });
  });

  test("a body over the limit gets 413 in Mantun's shape", async () => {
    const small = await startTestSandbox({ bodyLimit: 1024 });
    try {
      const res = await small.http
        .post('/oauth/token.as')
        .type('form')
        .send(`redirect_uri=${'x'.repeat(2048)}`);
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ success: false, code: '10050', message: 'request body is too large' });
    } finally {
      await small.close();
    }
  });
});
