import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioSchema } from '../../src/core/scenarios/schema.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { MAC, MantunClient, PROJECT } from '../helpers/mantun.js';

let a: TestSandbox;
let b: TestSandbox | undefined;
afterEach(async () => {
  await a.close();
  await b?.close();
  b = undefined;
});

/** A sandbox in the middle of a bug: rotated tokens, a device switched off, rules part-way through their counts. */
async function midBug(): Promise<{ client: MantunClient; tokens: { accessToken: string; refreshToken: string }; spent: string }> {
  a = await startTestSandbox({ seed: 'original', scenario: 'rotation-strict' });
  const client = new MantunClient(a.http);
  await a.http.post('/__sandbox/clock').send({ set: '2026-05-01T10:00:00+08:00', rate: 0 }).expect(200);
  const first = await client.tokens();
  const tokens = (await client.refresh(first.refreshToken)).body.data;
  const now = a.sb.clock.now();
  await client.call(tokens.accessToken, 'PUT_BOX_CONTROL', now, { projectCode: PROJECT, mac: MAC, cmd: 'OCSWITCH', value1: 'close', value2: '1' });
  await a.http
    .post('/__sandbox/faults')
    .send({ id: 'third-call', endpoint: 'router.as', nth: 3, respond: { status: 503 } })
    .expect(201);
  await a.http
    .post('/__sandbox/faults')
    .send({ id: 'coin', method: 'GET_BOX', probability: 0.5, seed: 'coin', respond: { error: { mantun: 'not_found' }, detail: 'mac' } })
    .expect(201);
  await client.call(tokens.accessToken, 'GET_PROJECTS', now);
  return { client, tokens, spent: first.refreshToken };
}

/** The same calls, in the same order, on two sandboxes: every answer must be the same. */
async function sameAnswers(x: MantunClient, y: MantunClient, now: number, tokens: { accessToken: string; refreshToken: string }, spent: string) {
  const calls: ((c: MantunClient) => PromiseLike<{ status: number; text: string }>)[] = [
    (c) => c.call(tokens.accessToken, 'GET_BOX_CHANNELS_REALTIME', now, { projectCode: PROJECT, mac: MAC }),
    (c) => c.call(tokens.accessToken, 'GET_PROJECTS', now),
    (c) => c.call(tokens.accessToken, 'GET_PROJECTS', now),
    ...Array.from({ length: 8 }, () => (c: MantunClient) => c.call(tokens.accessToken, 'GET_BOX', now, { mac: MAC })),
    (c) => c.authverify(),
    (c) => c.refresh(tokens.refreshToken),
    (c) => c.call(tokens.accessToken, 'GET_PROJECTS', now),
    (c) => c.refresh(spent),
    (c) => c.call(tokens.accessToken, 'GET_PROJECTS', now),
  ];
  const seen: string[] = [];
  for (const call of calls) {
    const [rx, ry] = [await call(x), await call(y)];
    expect({ status: ry.status, text: ry.text }).toEqual({ status: rx.status, text: rx.text });
    seen.push(`${rx.status} ${rx.text.slice(0, 40)}`);
  }
  return seen;
}

describe('export → load → same answers', () => {
  test('the export is a valid scenario file holding state, clock, generator and rules with their counts', async () => {
    await midBug();
    const res = await a.http.get('/__sandbox/export?name=ticket-4711');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const file = res.body;
    expect(scenarioSchema.safeParse(file).success).toBe(true);
    expect(file).toMatchObject({
      $schema: './node_modules/oauth-platform-sandbox/schemas/scenario.schema.json',
      name: 'ticket-4711',
      platforms: { mantun: { policy: { rotateRefresh: true, refreshReuse: 'reject', reuseRevokesFamily: true } } },
      clock: { start: '2026-05-01T02:00:00.000Z', rate: 0 },
      // A sandbox sharing a store mixes its process into the seed (processes must never draw alike).
      random: { seed: expect.stringMatching(/^original(\/|$)/), draws: expect.any(Number) },
    });
    expect(file.description).toBe(
      'State of the sandbox at 2026-05-01T02:00:00.000Z, scenarios rotation-strict, fault:third-call, fault:coin. Load it (--scenario FILE or PUT /__sandbox/scenario) into a sandbox with the same fixtures to get the same answers.',
    );
    expect(file.faults.map((f: { id: string; progress: unknown }) => [f.id, f.progress])).toEqual([
      ['coin', { calls: 0, fired: 0, armedAt: '2026-05-01T02:00:00.000Z' }],
      ['third-call', { calls: 1, fired: 0, armedAt: '2026-05-01T02:00:00.000Z' }],
    ]);
    expect(file.state.tokens.map((x: { kind: string }) => x.kind)).toEqual(['code', 'access', 'refresh', 'access', 'refresh']);
    expect(file.state.platformState.mantun.channels[MAC]['1']).toEqual({ oc: false, updateTime: '2026-05-01 10:00:00' });
  });

  test('PUT the export into a fresh sandbox with another seed: every later answer is byte for byte the same', async () => {
    const { client, tokens, spent } = await midBug();
    const file = (await a.http.get('/__sandbox/export')).body;
    b = await startTestSandbox({ seed: 'something-else' });
    await b.http.put('/__sandbox/scenario').send(file).expect(200);
    const seen = await sameAnswers(client, new MantunClient(b.http), a.sb.clock.now(), tokens, spent);
    // The sequence exercised the rules, the rotation and the device state, not only happy paths.
    expect(seen.filter((s) => s.startsWith('503'))).toHaveLength(1);
    expect(seen.some((s) => s.includes('"code":"10043"'))).toBe(true);
    expect(seen.some((s) => s.includes('"code":"10021"'))).toBe(true);
    const rules = async (s: TestSandbox) => (await s.http.get('/__sandbox/requests')).body.requests.map((e: { rule?: string }) => e.rule ?? '-');
    expect((await rules(b)).slice(0, 15)).toEqual((await rules(a)).slice(0, 15));
  });

  test('the export file works from the command line path too (--scenario FILE)', async () => {
    const { client, tokens, spent } = await midBug();
    const file = join(mkdtempSync(join(tmpdir(), 'sandbox-export-')), 'bug.json');
    writeFileSync(file, (await a.http.get('/__sandbox/export')).text);
    b = await startTestSandbox({ scenario: file });
    await sameAnswers(client, new MantunClient(b.http), a.sb.clock.now(), tokens, spent);
  });

  test('a session exports its own world, and loads into a new session', async () => {
    a = await startTestSandbox();
    await a.http.post('/__sandbox/sessions').send({ id: 'bug', scenario: 'expiry-fast' }).expect(201);
    const inSession = new MantunClient(a.http, '/s/bug');
    await a.http.post('/s/bug/__sandbox/clock').send({ rate: 0 }).expect(200);
    const tokens = await inSession.tokens();
    const file = (await a.http.get('/s/bug/__sandbox/export')).body;
    expect(file.name).toBe('export-bug');
    expect(file.state.tokens).toHaveLength(3);
    expect((await a.http.get('/__sandbox/export')).body.state.tokens).toEqual([]);

    await a.http.post('/__sandbox/sessions').send({ id: 'replay', scenario: file }).expect(201);
    const replay = new MantunClient(a.http, '/s/replay');
    const now = (await a.http.get('/s/bug/__sandbox/clock')).body.epochMs;
    await sameAnswers(inSession, replay, now, tokens, tokens.refreshToken);
  });

  test('a bad name is refused', async () => {
    a = await startTestSandbox();
    const res = await a.http.get('/__sandbox/export?name=../x');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', message: '"name" must be letters, digits, ".", "_" or "-" (at most 64), got "../x".' });
  });
});
