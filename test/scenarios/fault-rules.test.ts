import { MantunClient } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { mantunFailure, PROJECTS, tokenBody } from './support.js';

let t: TestSandbox;
let mantun: MantunClient;
let token: string;
beforeEach(async () => {
  t = await startTestSandbox();
  mantun = new MantunClient(t.http);
  token = (await mantun.tokens()).accessToken;
});
afterEach(() => t.close());

const arm = (rule: object) => t.http.post('/__sandbox/faults').send(rule);
const projects = () => mantun.call(token, 'GET_PROJECTS', t.sb.clock.now());
const statuses = async (n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await projects()).status);
  return out;
};
const TEAPOT = { endpoint: 'router.as', respond: { status: 418, body: { error: 'teapot' } } };

describe('call counts', () => {
  test('nth fires on that call only', async () => {
    await arm({ ...TEAPOT, nth: 2 }).expect(201);
    expect(await statuses(4)).toEqual([200, 418, 200, 200]);
  });

  test('every fires on each k-th call', async () => {
    await arm({ ...TEAPOT, every: 2 }).expect(201);
    expect(await statuses(6)).toEqual([200, 418, 200, 418, 200, 418]);
  });

  test('first fires on the first n calls', async () => {
    await arm({ ...TEAPOT, first: 2 }).expect(201);
    expect(await statuses(4)).toEqual([418, 418, 200, 200]);
  });

  test('times caps the firings', async () => {
    await arm({ ...TEAPOT, every: 1, times: 3 }).expect(201);
    expect(await statuses(5)).toEqual([418, 418, 418, 200, 200]);
    const faults = (await t.http.get('/__sandbox/faults')).body;
    expect(faults.count).toBe(1);
    expect(faults.faults[0]).toMatchObject({ id: 'fault-1', scenario: 'fault:fault-1', calls: 5, fired: 3 });
  });

  test('after waits for the sandbox clock to pass a duration since the rule was armed', async () => {
    await arm({ ...TEAPOT, after: '10m' }).expect(201);
    expect(await statuses(1)).toEqual([200]);
    t.sb.clock.advance('10m');
    expect(await statuses(1)).toEqual([418]);
  });

  test('after also takes an absolute time', async () => {
    const at = new Date(t.sb.clock.now() + 3_600_000).toISOString();
    await arm({ ...TEAPOT, after: at }).expect(201);
    expect(await statuses(1)).toEqual([200]);
    t.sb.clock.advance('1h');
    expect(await statuses(1)).toEqual([418]);
  });

  test('probability with a seed gives the same sequence twice', async () => {
    await arm({ ...TEAPOT, id: 'coin', probability: 0.5, seed: 'coin' }).expect(201);
    const first = await statuses(40);
    await t.http.delete('/__sandbox/faults').expect(200);
    await arm({ ...TEAPOT, id: 'coin', probability: 0.5, seed: 'coin' }).expect(201);
    expect(await statuses(40)).toEqual(first);
    expect(first).toContain(418);
    expect(first).toContain(200);
  });
});

describe('matching', () => {
  test('method matches the gateway method parameter', async () => {
    await arm({ method: 'GET_BOXES', respond: { error: { mantun: 'not_found' }, detail: 'projectCode P1' } }).expect(201);
    expect((await projects()).body).toEqual(PROJECTS);
    const boxes = await mantun.call(token, 'GET_BOXES', t.sb.clock.now(), { projectCode: 'P00000000009' });
    expect(boxes.body).toEqual(mantunFailure('10043', 'not found: projectCode P1'));
  });

  test('platform + endpoint, and tags, narrow the rule', async () => {
    await arm({ platform: 'mantun', endpoint: 'authverify2.as', respond: { error: 'invalid_credentials' } }).expect(201);
    const res = await mantun.authverify();
    // authverify2.as refuses with the boolean false every client reads as a failure, and so does the injected one.
    expect(res.body).toEqual({ success: false, code: '10004', message: 'uname or passwd is incorrect' });
    expect((await projects()).body).toEqual(PROJECTS);
  });

  test('the rule of the latest layer wins when several fire', async () => {
    await arm({ id: 'older', ...TEAPOT }).expect(201);
    await arm({ id: 'newer', endpoint: 'router.as', respond: { status: 503 } }).expect(201);
    expect(await statuses(1)).toEqual([503]);
    const entry = (await t.http.get('/__sandbox/requests?limit=1')).body.requests[0];
    expect(entry.rule).toBe('newer');
    await t.http.delete('/__sandbox/faults/newer').expect(200);
    expect(await statuses(1)).toEqual([418]);
  });
});

describe('answers', () => {
  test('status with a string body and headers', async () => {
    await arm({ endpoint: 'router.as', respond: { status: 429, body: 'slow down', headers: { 'retry-after': '5' } } }).expect(201);
    const res = await projects();
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(res.text).toBe('slow down');
  });

  test('status with a JSON body', async () => {
    await arm(TEAPOT).expect(201);
    const res = await projects();
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.body).toEqual({ error: 'teapot' });
  });

  test('delay alone: the real answer, late', async () => {
    await arm({ endpoint: 'router.as', respond: { delay: '300ms' } }).expect(201);
    const started = Date.now();
    const res = await projects();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(res.body).toEqual(PROJECTS);
  });

  test('malformed truncated: the first half of the real body', async () => {
    await arm({ endpoint: 'router.as', respond: { malformed: 'truncated' } }).expect(201);
    const res = await projects()
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      });
    const full = JSON.stringify(PROJECTS);
    expect(res.body).toBe(full.slice(0, Math.floor(full.length / 2)));
  });

  test('malformed invalid: stray bytes in front, so it no longer parses', async () => {
    await arm({ endpoint: 'router.as', respond: { malformed: 'invalid' } }).expect(201);
    const res = await projects()
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      });
    expect(res.body).toBe(`<!-- ${JSON.stringify(PROJECTS)}`);
  });

  test('transport empty closes the connection without an answer', async () => {
    await arm({ endpoint: 'router.as', respond: { transport: 'empty' } }).expect(201);
    await expect(projects()).rejects.toThrow(/socket hang up/);
  });

  test('handled status: the platform processes the request, the client sees the failure', async () => {
    const code = await mantun.code();
    await arm({ endpoint: 'token.as', respond: { status: 504, handled: true } }).expect(201);
    expect((await mantun.exchange(code)).status).toBe(504);
    await t.http.delete('/__sandbox/faults').expect(200);
    expect((await mantun.exchange(code)).body).toEqual(mantunFailure('10011', 'code has already been used'));
    expect((await mantun.exchange(await mantun.code())).body).toEqual(tokenBody());
  });
});

describe('refusals', () => {
  const MANTUN_KINDS =
    'invalid_request, unsupported_response_type, unsupported_grant_type, invalid_credentials, unknown_client, redirect_uri_mismatch, invalid_client_secret, invalid_code, code_used, code_expired, invalid_refresh_token, refresh_token_used, refresh_token_expired, refresh_token_revoked, invalid_access_token, access_token_expired, access_token_revoked, invalid_sign, invalid_timestamp, unknown_method, not_found, body_too_large, unreadable_body, service_unavailable, callback_url_missing';
  test.each([
    [
      { respond: { error: 'code_used' } },
      'respond.error',
      'error kinds belong to one platform\'s catalogue: add "platform" to the rule, or give one kind per platform ({"mantun": "code_used"})',
    ],
    [{ platform: 'mantun', respond: { error: 'nope' } }, 'respond.error', `"nope" is not in mantun's error catalogue; kinds: ${MANTUN_KINDS}`],
    [{ respond: { error: { mantun: 'nope' } } }, 'respond.error.mantun', `"nope" is not in mantun's error catalogue; kinds: ${MANTUN_KINDS}`],
    [{ platform: 'mantn', respond: { status: 500 } }, 'platform', 'unknown platform "mantn"; platforms: mantun, usercenter, sop, zjrc'],
    [
      { platform: 'mantun', endpoint: 'token', respond: { status: 500 } },
      'endpoint',
      'no endpoint named "token" on mantun; endpoints: "authverify2.as", "token.as", "refresh.as", "router.as"',
    ],
    [
      { tag: 'tokens', respond: { status: 500 } },
      'tag',
      'no endpoint or method is tagged "tokens"; tags: "oauth", "authorize", "token", "refresh", "resource", "signed"',
    ],
    [{ respond: {} }, 'respond', 'expected one of "error", "status", "transport", "malformed" or "delay"'],
    [{ respond: { status: 500, transport: 'reset' } }, 'respond', 'give only one of "status", "transport"'],
    [{ respond: { body: 'x', delay: '1s' } }, 'respond.body', '"body" goes with "status"'],
    [{ respond: { delay: 'soon' } }, 'respond.delay', 'expected a duration such as "35s", "250ms", "2m" or a number of seconds (got "soon")'],
    [
      { after: 'tomorrow', respond: { status: 500 } },
      'after',
      'expected a duration since activation such as "10m" (or seconds), or an ISO-8601 time (got "tomorrow")',
    ],
    [{ probability: 1.5, respond: { status: 500 } }, 'probability', 'Too big: expected number to be <=1 (got 1.5)'],
    [{ nth: 0, respond: { status: 500 } }, 'nth', 'Too small: expected number to be >=1 (got 0)'],
    [{ respond: { transport: 'drop' } }, 'respond.transport', 'expected "reset" or "empty" (got "drop")'],
    [{ respond: { status: 500 }, when: 'always' }, '', 'unknown field "when"'],
  ])('%j is refused at "%s"', async (rule, path, message) => {
    const res = await arm(rule);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_scenario');
    expect(res.body.issues).toEqual([{ file: 'request body', path, message }]);
    expect(res.body.message).toBe(path ? `request body: ${path}: ${message}` : `request body: ${message}`);
  });

  test('a body that is not an object is refused', async () => {
    const res = await t.http.post('/__sandbox/faults').send([1]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      message: 'Send one fault rule as a JSON object, e.g. {"endpoint": "token.as", "nth": 2, "respond": {"status": 500}}.',
    });
  });

  test('removing an armed rule that does not exist is a 404', async () => {
    const res = await t.http.delete('/__sandbox/faults/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: 'not_found',
      message: 'No armed fault rule "nope"; GET /__sandbox/faults lists them (rules of scenarios go with DELETE /__sandbox/scenario).',
    });
  });
});
