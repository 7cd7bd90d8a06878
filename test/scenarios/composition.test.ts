import { MantunClient } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { mantunFailure, PROJECTS } from './support.js';

let t: TestSandbox;
let mantun: MantunClient;
beforeEach(async () => {
  t = await startTestSandbox();
  mantun = new MantunClient(t.http);
});
afterEach(() => t.close());

const put = (body: unknown) => t.http.put('/__sandbox/scenario').send(body as object);
const expiresIn = async () => (await mantun.tokens()).expiresIn;
const codeLifetimeMs = async () => {
  await mantun.code();
  const codes = (await t.http.get('/__sandbox/tokens?kind=code')).body.tokens;
  const last = codes[codes.length - 1];
  return last.expiresAt - last.issuedAt;
};

describe('composition: several scenarios, later ones win field by field', () => {
  test('expiry-fast + rotation-lenient: both apply', async () => {
    const res = await put({ scenarios: ['expiry-fast', 'rotation-lenient'] });
    expect(res.status).toBe(200);
    expect(res.body.active).toEqual([
      { name: 'expiry-fast', description: expect.stringContaining('5 seconds'), source: 'builtin' },
      { name: 'rotation-lenient', description: expect.stringContaining('spent refresh token is still accepted'), source: 'builtin' },
    ]);
    expect(res.body.policy.mantun).toEqual({ lifetimes: { access: 5 }, rotateRefresh: true, refreshReuse: 'accept', reuseRevokesFamily: false });
    const first = await mantun.tokens();
    expect(first.expiresIn).toBe(5);
    await mantun.refresh(first.refreshToken);
    expect((await mantun.refresh(first.refreshToken)).body.success).toBe(true);
  });

  test('a later lifetime replaces an earlier one; untouched fields of the earlier one stay', async () => {
    await put({
      scenarios: [
        { name: 'a', policy: { lifetimes: { access: 5, code: 60 } } },
        { name: 'b', policy: { lifetimes: { access: 10 } } },
      ],
    }).expect(200);
    expect(await expiresIn()).toBe(10);
    expect(await codeLifetimeMs()).toBe(60_000);
  });

  test('a later rule for every platform beats an earlier rule for one platform', async () => {
    const res = await put({
      scenarios: [
        { name: 'mantun-only', platforms: { mantun: { policy: { lifetimes: { access: 7 } } } } },
        { name: 'everyone', policy: { lifetimes: { access: 9 } } },
      ],
    });
    expect(res.body.policy.mantun).toEqual({ lifetimes: { access: 9 } });
    expect(res.body.policy.usercenter).toEqual({ lifetimes: { access: 9 } });
    expect(await expiresIn()).toBe(9);
  });

  test('the scenario lays over the fixtures: fields it does not name keep the fixture values', async () => {
    await put({ name: 'grace-10min' }).expect(200);
    expect(await expiresIn()).toBe(3600);
    expect(await codeLifetimeMs()).toBe(600_000);
  });
});

describe('switching at runtime', () => {
  test('PUT replaces, PUT with add lays over, DELETE goes back to the fixtures', async () => {
    await put({ name: 'expiry-fast' }).expect(200);
    expect(await expiresIn()).toBe(5);

    const replaced = await put({ name: 'code-reuse-allowed' });
    expect(replaced.body.active.map((a: { name: string }) => a.name)).toEqual(['code-reuse-allowed']);
    expect(await expiresIn()).toBe(3600);

    const added = await put({ name: 'expiry-fast', add: true });
    expect(added.body.active.map((a: { name: string }) => a.name)).toEqual(['code-reuse-allowed', 'expiry-fast']);
    expect(await expiresIn()).toBe(5);

    const shown = await t.http.get('/__sandbox/scenario');
    expect(shown.body).toEqual({ ...added.body, clock: expect.any(Object) });

    const cleared = await t.http.delete('/__sandbox/scenario');
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual({ active: [], policy: {}, faults: [], clock: expect.objectContaining({ rate: 1 }) });
    expect(await expiresIn()).toBe(3600);
  });

  test('tokens keep the lifetime they were issued with when the scenario changes', async () => {
    await put({ name: 'expiry-fast' }).expect(200);
    const short = await mantun.tokens();
    await t.http.delete('/__sandbox/scenario').expect(200);
    t.sb.clock.advance('6s');
    expect((await mantun.call(short.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(mantunFailure('10031', 'access_token has expired'));
  });

  test('every body form activates: a name, a list, an inline scenario, a bare scenario object', async () => {
    for (const body of [
      { name: 'expiry-fast' },
      { scenarios: ['expiry-fast'] },
      { scenario: { policy: { lifetimes: { access: 5 } } } },
      { policy: { lifetimes: { access: 5 } } },
    ]) {
      await t.http.delete('/__sandbox/scenario').expect(200);
      expect((await put(body)).status).toBe(200);
      expect(await expiresIn()).toBe(5);
    }
  });

  test('a fault rule armed alone sits over the active scenarios, and goes with DELETE /faults', async () => {
    await put({ name: 'token-endpoint-500' }).expect(200);
    const armed = await t.http.post('/__sandbox/faults').send({ id: 'boxes-down', method: 'GET_PROJECTS', respond: { status: 503 } });
    expect(armed.status).toBe(201);
    expect(armed.body).toEqual({
      fault: { id: 'boxes-down', scenario: 'fault:boxes-down', method: 'GET_PROJECTS', respond: { status: 503 }, calls: 0, fired: 0 },
    });
    const list = (await t.http.get('/__sandbox/faults')).body;
    expect(list.faults.map((f: { id: string }) => f.id)).toEqual(['boxes-down', 'token-endpoint-500']);
    expect((await t.http.delete('/__sandbox/faults')).body).toEqual({ removed: 1 });
    expect((await t.http.get('/__sandbox/scenario')).body.active.map((a: { name: string }) => a.name)).toEqual(['token-endpoint-500']);
  });

  test('POST /__sandbox/reset clears the state but keeps the scenarios, which start over', async () => {
    await put({ scenarios: ['expiry-fast', { faults: [{ id: 'once', endpoint: 'router.as', nth: 1, respond: { status: 503 } }] }] }).expect(200);
    const before = await mantun.tokens();
    expect((await mantun.call(before.accessToken, 'GET_PROJECTS', t.sb.clock.now())).status).toBe(503);
    await t.http.post('/__sandbox/reset').expect(200);
    const after = await mantun.tokens();
    expect(after.expiresIn).toBe(5);
    expect((await mantun.call(after.accessToken, 'GET_PROJECTS', t.sb.clock.now())).status).toBe(503);
    expect((await mantun.call(after.accessToken, 'GET_PROJECTS', t.sb.clock.now())).body).toEqual(PROJECTS);
  });
});

describe('refusals', () => {
  test('an unknown name is a 404 naming the library', async () => {
    const res = await put({ name: 'rotation-strikt' });
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('unknown_scenario');
    expect(res.body.message).toMatch(
      /^rotation-strikt: unknown scenario "rotation-strikt" \(did you mean "rotation-strict"\?\); the library has callback-url-missing, clock-skew-ahead, .*, token-endpoint-slow \(or give a path to a \.json file\)$/,
    );
  });

  test('an invalid inline scenario is a 400 with the JSON path, and the active scenarios stay', async () => {
    await put({ name: 'expiry-fast' }).expect(200);
    const res = await put({ scenarios: ['rotation-strict', { policy: { lifetimes: { acess: 5 } } }] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_scenario',
      message: 'request body #2: policy.lifetimes: unknown field "acess" (did you mean "access"?)',
      issues: [{ file: 'request body #2', path: 'policy.lifetimes', message: 'unknown field "acess" (did you mean "access"?)' }],
    });
    expect((await t.http.get('/__sandbox/scenario')).body.active.map((a: { name: string }) => a.name)).toEqual(['expiry-fast']);
  });

  test('file paths are not read over the control plane', async () => {
    const res = await put({ name: '../../etc/passwd' });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].message).toMatch(
      /^scenario files are read only from the command line or the in-process API; over the control plane name one of the library \(callback-url-missing, .*\) or send the scenario inline$/,
    );
  });

  test.each([
    [
      [],
      'Send {"name": "<scenario>"}, {"scenarios": ["<name>", {...inline scenario}]}, {"scenario": {...}} or a scenario object itself; add "add": true to lay it over the active ones.',
    ],
    [
      {},
      'Send {"name": "<scenario>"}, {"scenarios": ["<name>", {...inline scenario}]}, {"scenario": {...}} or a scenario object itself; add "add": true to lay it over the active ones.',
    ],
    [
      { scenarios: [] },
      '"scenarios" must be a non-empty array of names and scenario objects. Send {"name": "<scenario>"}, {"scenarios": ["<name>", {...inline scenario}]}, {"scenario": {...}} or a scenario object itself; add "add": true to lay it over the active ones.',
    ],
    [{ name: 'expiry-fast', add: 'yes' }, '"add" must be true or false, got "yes".'],
    [
      { nmae: 'expiry-fast' },
      'Unknown field(s) nmae (did you mean "name"?). Send {"name": "<scenario>"}, {"scenarios": ["<name>", {...inline scenario}]}, {"scenario": {...}} or a scenario object itself; add "add": true to lay it over the active ones.',
    ],
  ])('body %j is refused with a usage line', async (body, message) => {
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', message });
  });
});

describe('the library', () => {
  test('GET /__sandbox/scenarios lists every built-in scenario with its description', async () => {
    const res = await t.http.get('/__sandbox/scenarios');
    expect(res.status).toBe(200);
    const names = res.body.scenarios.map((s: { name: string }) => s.name);
    expect(names).toEqual([
      'callback-url-missing',
      'clock-skew-ahead',
      'clock-skew-behind',
      'code-reuse-allowed',
      'connection-reset',
      'expired-on-issue',
      'expiry-fast',
      'flaky',
      'grace-10min',
      'invalid-signature',
      'refresh-expired',
      'refresh-response-lost',
      'rotation-lenient',
      'rotation-strict',
      'token-endpoint-500',
      'token-endpoint-slow',
    ]);
    for (const s of res.body.scenarios) {
      expect(s.source).toBe('builtin');
      expect(typeof s.description).toBe('string');
      expect(s.description.length).toBeGreaterThan(60);
    }
  });
});
