import request from 'supertest';
import { spawnSandbox, type Spawned } from '../helpers/cli.js';
import { form, getCode, getTokens, refreshParams, routerParams, tokenParams } from '../helpers/mantun.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

/**
 * Three sandbox processes started with one --store URL serve one world: whatever one issues, moves,
 * switches or counts, the others see at once, and single-use values are spent exactly once.
 */

let redis: RedisServer;
let sandboxes: Spawned[];
const http = (i: number) => request(sandboxes[i % sandboxes.length].url);

beforeAll(async () => {
  redis = await startRedis();
  sandboxes = await Promise.all(
    [0, 1, 2].map(() => spawnSandbox(['start', '--port', '0', '--quiet', '--store', redis.url, '--store-prefix', 'shared-world:'])),
  );
}, 60_000);
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.stop()));
  await redis.stop();
});
beforeEach(async () => {
  await http(0).post('/__sandbox/reset').expect(200);
  await http(0).delete('/__sandbox/scenario').expect(200);
});

const now = async (): Promise<number> => (await http(0).get('/__sandbox/clock')).body.epochMs;

test('a code from one process is redeemed on another, and its token works on the third', async () => {
  const code = await getCode(http(0));
  const res = await http(1)
    .post('/oauth/token.as')
    .type('form')
    .send(form(tokenParams(code)));
  expect(res.body).toMatchObject({ success: true, code: '0' });
  const projects = await http(2)
    .post('/invoke/router.as')
    .type('form')
    .send(form(routerParams(res.body.data.accessToken, 'GET_PROJECTS', await now())));
  expect(projects.body).toMatchObject({ success: true, code: '0' });
});

test('a clock moved on any process expires the token on all', async () => {
  const tokens = await getTokens(http(0));
  await http(2).post('/__sandbox/clock').send({ advance: '3601s' }).expect(200);
  const at = await now();
  for (const i of [0, 1, 2]) {
    const res = await http(i)
      .post('/invoke/router.as')
      .type('form')
      .send(form(routerParams(tokens.accessToken, 'GET_PROJECTS', at)));
    expect([i, res.body]).toEqual([i, { success: false, code: '10031', message: 'access_token has expired' }]);
  }
});

test('100 concurrent refreshes of one token, spread over the processes: exactly one wins', async () => {
  const tokens = await getTokens(http(0));
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      http(i)
        .post('/oauth/refresh.as')
        .type('form')
        .send(form(refreshParams(tokens.refreshToken))),
    ),
  );
  const won = answers.filter((r) => r.body.success === true);
  expect(won).toHaveLength(1);
  expect(answers.filter((r) => r.body.code === '10021')).toHaveLength(99);
  expect(answers.every((r) => r.status === 200)).toBe(true);
});

test('100 concurrent exchanges of one code, spread over the processes: exactly one pair is issued', async () => {
  const code = await getCode(http(0));
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      http(i)
        .post('/oauth/token.as')
        .type('form')
        .send(form(tokenParams(code))),
    ),
  );
  expect(answers.filter((r) => r.body.success === true)).toHaveLength(1);
  expect(answers.filter((r) => r.body.code === '10011')).toHaveLength(99);
  const issued = await http(2).get('/__sandbox/tokens?platform=mantun&kind=access');
  expect(issued.body.count).toBe(1);
});

test('a fault rule nth: 3 fires once, counted across the processes', async () => {
  await http(1)
    .post('/__sandbox/faults')
    .send({ id: 'third', endpoint: 'authverify2.as', nth: 3, respond: { status: 503 } })
    .expect(201);
  const statuses: number[] = [];
  for (let i = 0; i < 9; i++) statuses.push((await http(i).post('/oauth/authverify2.as').type('form').send('response_type=code')).status);
  expect(statuses.filter((s) => s === 503)).toHaveLength(1);
  expect(statuses[2]).toBe(503);
  const faults = (await http(0).get('/__sandbox/faults')).body.faults;
  expect(faults).toEqual([expect.objectContaining({ id: 'third', calls: 9, fired: 1 })]);
});

test('a scenario switched on one process applies on all', async () => {
  await http(1).put('/__sandbox/scenario').send({ name: 'expiry-fast' }).expect(200);
  for (const i of [0, 1, 2]) {
    const code = await getCode(http(i));
    const res = await http(i + 1)
      .post('/oauth/token.as')
      .type('form')
      .send(form(tokenParams(code)));
    expect([i, res.body.data.expiresIn]).toEqual([i, 5]);
    expect((await http(i).get('/__sandbox/scenario')).body.active.map((a: { name: string }) => a.name)).toEqual(['expiry-fast']);
  }
});

test('the journal of any process lists the requests of all, newest first', async () => {
  for (const i of [0, 1, 2]) await http(i).post(`/oauth/authverify2.as?n=${i}`).type('form').send('response_type=code');
  for (const i of [0, 1, 2]) {
    const listed = (await http(i).get('/__sandbox/requests?endpoint=authverify2.as')).body.requests as { request: { query: { n: string } } }[];
    expect([i, listed.map((e) => e.request.query.n)]).toEqual([i, ['2', '1', '0']]);
  }
});

test('a session opened through one process is served by another and ended by a third', async () => {
  await http(0).post('/__sandbox/sessions').send({ id: 'shared-1' }).expect(201);
  const code = await getCode(http(1), '/s/shared-1');
  const res = await http(2)
    .post('/s/shared-1/oauth/token.as')
    .type('form')
    .send(form(tokenParams(code)));
  expect(res.body.success).toBe(true);
  expect((await http(0).get('/s/shared-1/__sandbox/tokens')).body.count).toBe(3);
  expect((await http(0).get('/__sandbox/tokens')).body.count).toBe(0);
  await http(2).delete('/__sandbox/sessions/shared-1').expect(204);
  for (const i of [0, 1]) {
    const gone = await http(i).post('/s/shared-1/oauth/authverify2.as').type('form').send('response_type=code');
    expect([i, gone.status, gone.body.error]).toEqual([i, 404, 'unknown_session']);
  }
});

test("a reset deletes this sandbox's keys only: another prefix on the same Redis keeps its tokens", async () => {
  const neighbour = await spawnSandbox(['start', '--port', '0', '--quiet', '--store', redis.url, '--store-prefix', 'neighbour:']);
  try {
    const theirs = await getTokens(request(neighbour.url));
    await getTokens(http(0));
    await http(1).post('/__sandbox/reset').expect(200);
    expect((await http(2).get('/__sandbox/tokens')).body.count).toBe(0);
    const kept = (await request(neighbour.url).get('/__sandbox/tokens?kind=access')).body.tokens as { value: string }[];
    expect(kept.map((t) => t.value)).toEqual([theirs.accessToken]);
  } finally {
    await neighbour.stop();
  }
});
