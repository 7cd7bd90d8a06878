import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { mantunClientSecret, mantunSign, mantunTimestamp } from '../../src/index.js';
import { LoadError } from '../../src/core/validation/load-error.js';
import { spawnSandbox, type Spawned } from '../helpers/cli.js';
import { form, PROJECT, USER } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const HEX32 = /^[0-9a-f]{32}$/;
const REDIRECT = 'http://localhost:3000/cb';
const A = { appKey: 'O000000077', appSecret: '0123456789ABCDEF0123456789ABCDEF' };
const B = { appKey: 'O000000078', appSecret: 'FEDCBA9876543210FEDCBA9876543210' };
type App = typeof A;

const appsFile = (apps: App[]) => ({ mantun: { apps: apps.map((a) => ({ ...a, redirectUri: REDIRECT })) } });
const GET_PROJECTS_503 = { id: 'projects-503', platform: 'mantun', method: 'GET_PROJECTS', respond: { status: 503, body: 'down' } };

let dir: string;
/** Fixture files go in <dir>/fixtures (a folder --fixtures loads whole), the scenario beside it. */
const path = (name: string) => (name === 'bug.json' ? join(dir, name) : join(dir, 'fixtures', name));
const write = (name: string, data: unknown) => writeFileSync(path(name), typeof data === 'string' ? data : JSON.stringify(data, null, 2));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-watch-'));
  mkdirSync(join(dir, 'fixtures'));
  write('apps.json', appsFile([A]));
  write('bug.json', { $schema: '../schemas/scenario.schema.json', policy: { lifetimes: { access: 100 } } });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function login(http: TestAgent, app: App, prefix = ''): Promise<{ status: number; body: any }> {
  const code = await http
    .post(`${prefix}/oauth/authverify2.as`)
    .type('form')
    .send(form({ response_type: 'code', client_id: app.appKey, redirect_uri: REDIRECT, uname: USER.uname, passwd: USER.passwd }));
  if (code.body.success !== 'true') return code;
  const secret = mantunClientSecret(app.appKey, 'authorization_code', REDIRECT, code.body.code, app.appSecret);
  return http
    .post(`${prefix}/oauth/token.as`)
    .type('form')
    .send(form({ client_id: app.appKey, client_secret: secret, grant_type: 'authorization_code', redirect_uri: REDIRECT, code: code.body.code }));
}

function router(http: TestAgent, app: App, accessToken: string, method: string, now: number) {
  const params: Record<string, string> = { client_id: app.appKey, method, access_token: accessToken, timestamp: mantunTimestamp(now), projectCode: PROJECT };
  return http
    .post('/invoke/router.as')
    .type('form')
    .send(form({ ...params, sign: mantunSign(params, app.appSecret) }));
}

const tokenBody = (expiresIn: number) => ({
  data: { tokenType: 'Bearer', accessToken: expect.stringMatching(HEX32), expiresIn, refreshToken: expect.stringMatching(HEX32) },
  success: true,
  code: '0',
});
const unknownClient = { success: false, code: '10005', message: 'unknown client_id: O000000078' };

describe('Sandbox.reload(): what --watch calls on every change', () => {
  let t: TestSandbox;
  beforeEach(async () => {
    t = await startTestSandbox({ fixtures: [path('apps.json')], scenario: [path('bug.json')] });
  });
  afterEach(() => t.close());

  test('new fixtures and scenario contents answer the next request; issued tokens, sessions and counters stay', async () => {
    const first = await login(t.http, A);
    expect(first.body).toEqual(tokenBody(100));
    expect((await login(t.http, B)).body).toEqual(unknownClient);
    await t.http.post('/__sandbox/sessions').send({ id: 'w1' }).expect(201);
    t.sb.scenario.fault(GET_PROJECTS_503);
    expect((await router(t.http, A, first.body.data.accessToken, 'GET_PROJECTS', t.sb.clock.now())).status).toBe(503);

    write('apps.json', appsFile([A, B]));
    expect(t.sb.reload()).toEqual({
      fixtures: [expect.stringMatching(/fixtures\/mantun\.json$/), expect.any(String), expect.any(String), expect.any(String), path('apps.json')],
      scenarios: [path('bug.json')],
    });

    // The app added to the file logs in, in the default world and in the session that already existed.
    expect((await login(t.http, B)).body).toEqual(tokenBody(100));
    expect((await login(t.http, B, '/s/w1')).body).toEqual(tokenBody(3600)); // a session runs only the scenarios it was given
    // The token issued before the reload still opens the API, and the armed rule kept its count.
    expect((await router(t.http, A, first.body.data.accessToken, 'GET_BOXES', t.sb.clock.now())).body).toMatchObject({ success: true, code: '0' });
    expect(t.sb.scenario.active().faults).toEqual([expect.objectContaining({ id: 'projects-503', calls: 1, fired: 1 })]);

    write('bug.json', { policy: { lifetimes: { access: 200 } }, faults: [{ id: 'boxes-503', method: 'GET_BOXES', respond: { status: 503, body: 'down' } }] });
    expect(t.sb.reload().scenarios).toEqual([path('bug.json')]);
    expect((await login(t.http, A)).body).toEqual(tokenBody(200));
    const boxes = await router(t.http, A, first.body.data.accessToken, 'GET_BOXES', t.sb.clock.now());
    expect([boxes.status, boxes.text]).toEqual([503, 'down']);
    expect(t.sb.scenario.active().faults.map((f) => f.id)).toEqual(['projects-503', 'boxes-503']);
    const tokens = (await t.http.get('/__sandbox/tokens?kind=access')).body;
    expect(tokens.count).toBe(3); // A before, B after the fixture edit, A after the scenario edit (B's session token is the session's)
    expect(tokens.tokens.find((x: { value: string }) => x.value === first.body.data.accessToken)).toMatchObject({ appId: A.appKey, state: 'active', ttl: 100 });
  });

  test('a bad fixture edit throws with file and JSON path, and the previous world keeps answering', async () => {
    write('apps.json', appsFile([A, B]));
    t.sb.reload();
    write('apps.json', { mantun: { apps: [{ appKey: 5, appSecret: 'x', redirectUri: REDIRECT }] } });
    let error: unknown;
    try {
      t.sb.reload();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoadError);
    expect((error as LoadError).issues).toEqual([{ file: path('apps.json'), path: 'mantun.apps[0].appKey', message: 'expected string, got 5' }]);
    expect((await login(t.http, B)).body).toEqual(tokenBody(100));
  });

  test('a bad scenario edit changes nothing, not even the fixture edit that came with it', async () => {
    write('apps.json', appsFile([A, B]));
    write('bug.json', '{ "policy": { "lifetimes": { "access": "soon" } } }');
    expect(() => t.sb.reload()).toThrow(LoadError);
    expect((await login(t.http, B)).body).toEqual(unknownClient);
    expect((await login(t.http, A)).body).toEqual(tokenBody(100));
    write('bug.json', '{ "policy": ');
    expect(() => t.sb.reload()).toThrow(/bug\.json: not valid JSON/);
  });
});

describe('sandbox start --watch', () => {
  let s: Spawned | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  /** Wait until the process has printed `text` (after what it had printed before). */
  async function printed(text: string | RegExp, from: number): Promise<string> {
    // Up to 10 s: a watch event, the settle delay and a reload, on a CI machine that may be busy.
    for (let i = 0; i < 200; i++) {
      const out = s!.output().slice(from);
      if (typeof text === 'string' ? out.includes(text) : text.test(out)) return out;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`never printed ${text}; output:\n${s!.output()}`);
  }

  test('reloads on save, reports a bad edit with its file and path, and keeps serving', async () => {
    s = await spawnSandbox(['start', '--port', '0', '--watch', '--fixtures', join(dir, 'fixtures'), '--scenario', path('bug.json')]);
    expect(s.output()).toContain(`watching       ${join(dir, 'fixtures')}, ${dir}\n`);
    const http = request(s.url);
    const first = await login(http, A);
    expect(first.body).toEqual(tokenBody(100));

    let mark = s.output().length;
    write('apps.json', appsFile([A, B]));
    await printed('reloaded after a change to apps.json: 5 fixture file(s), 1 active scenario file(s); issued tokens kept\n', mark);
    expect((await login(http, B)).body).toEqual(tokenBody(100));

    mark = s.output().length;
    write('apps.json', { mantun: { apps: [{ appKey: 'O000000079', appSecrt: 'x', redirectUri: REDIRECT }] } });
    const out = await printed(/reload failed[^]*unknown field[^\n]*\n/, mark);
    expect(out).toContain(
      `error: reload failed after a change to apps.json; still serving the previous fixtures and scenarios:\n${path('apps.json')}: mantun.apps[0].appSecret: required field is missing (expected string)\n`,
    );
    expect(out).toContain(`${path('apps.json')}: mantun.apps[0]: unknown field "appSecrt"`);
    expect((await login(http, B)).body).toEqual(tokenBody(100));

    mark = s.output().length;
    write('bug.json', { policy: { lifetimes: { access: 300 } } });
    write('apps.json', appsFile([A]));
    await printed('reloaded after a change to apps.json, bug.json', mark);
    expect((await login(http, A)).body).toEqual(tokenBody(300));
    expect((await router(http, A, first.body.data.accessToken, 'GET_BOXES', Date.now())).body).toMatchObject({ success: true, code: '0' });
  });
});
