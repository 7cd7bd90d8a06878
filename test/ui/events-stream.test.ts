import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { getCode } from '../helpers/mantun.js';
import { SseClient } from './sse-client.js';

let t: TestSandbox;
let streams: SseClient[] = [];
beforeEach(async () => {
  t = await startTestSandbox();
  // Stopped before it is set, so no millisecond passes in between.
  await t.http.post('/__sandbox/clock').send({ rate: 0 });
  await t.http.post('/__sandbox/clock').send({ set: '2026-05-01T02:00:00Z' });
});
afterEach(async () => {
  for (const s of streams) s.close();
  streams = [];
  await t.close();
});

const open = async (path: string, headers: Record<string, string> = {}) => {
  const s = await SseClient.open(`${t.sb.url}${path}`, headers);
  streams.push(s);
  return s;
};
const CLOCK = { now: '2026-05-01T02:00:00.000Z', epochMs: Date.parse('2026-05-01T02:00:00Z'), rate: 0, offsetMs: expect.any(Number) };

describe('GET /__sandbox/events', () => {
  test('is an event stream that says hello, then delivers each journal entry of its world as it is recorded', async () => {
    const s = await open('/__sandbox/events');
    expect(s.res.statusCode).toBe(200);
    expect(s.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(s.res.headers['cache-control']).toBe('no-cache, no-transform');
    expect((await s.nth('retry')).data).toBe(2000);
    expect((await s.nth('hello')).data).toEqual({ session: 'default', clock: CLOCK, tokens: 0 });

    const code = await getCode(t.http);
    const message = await s.nth('request');
    const [entry] = (await t.http.get('/__sandbox/requests')).body.requests;
    expect(message).toEqual({ event: 'request', id: String(entry.id), data: entry });
    expect(entry).toMatchObject({ platform: 'mantun', endpoint: 'authverify2.as', status: 200, response: { body: { code, success: 'true' } } });
  });

  test('announces token and clock changes as "changed" with the token count and the clock', async () => {
    const s = await open('/__sandbox/events');
    await s.nth('hello');
    await t.http.post('/__sandbox/clock').send({ advance: '1h' });
    expect((await s.nth('changed')).data).toEqual({ tokens: 0, clock: { ...CLOCK, now: '2026-05-01T03:00:00.000Z', epochMs: CLOCK.epochMs + 3_600_000 } });
    await getCode(t.http);
    expect((await s.nth('changed', 1)).data).toMatchObject({ tokens: 1 });
  });

  test('a reconnecting client (Last-Event-ID) or a page (?since=) gets the entries it missed, oldest first', async () => {
    await getCode(t.http);
    await getCode(t.http);
    await getCode(t.http);
    const ids = ((await t.http.get('/__sandbox/requests')).body.requests as { id: number }[]).map((r) => r.id).reverse();
    const resumed = await open('/__sandbox/events', { 'last-event-id': String(ids[0]) });
    expect([(await resumed.nth('request', 0)).id, (await resumed.nth('request', 1)).id]).toEqual([String(ids[1]), String(ids[2])]);
    const page = await open(`/__sandbox/events?since=${ids[1]}`);
    expect((await page.nth('request')).id).toBe(String(ids[2]));
    // Live entries follow the replayed ones.
    await getCode(t.http);
    expect((await page.nth('request', 1)).id).toBe(String(ids[2] + 1));
    expect(page.messages.filter((m) => m.event === 'request')).toHaveLength(2);
  });

  test('a session opened or ended, a scenario switched, a fault armed: each is announced as changed, so a page never polls', async () => {
    const s = await open('/__sandbox/events');
    await s.nth('hello');
    const steps: [string, number, () => Promise<unknown>][] = [
      ['session opened', 201, () => t.http.post('/__sandbox/sessions').send({ id: 'w9' })],
      ['session ended', 204, () => t.http.delete('/__sandbox/sessions/w9')],
      ['scenario switched', 200, () => t.http.put('/__sandbox/scenario').send({ name: 'expiry-fast' })],
      ['fault armed', 201, () => t.http.post('/__sandbox/faults').send({ endpoint: 'token.as', respond: { status: 503 } })],
    ];
    for (const [n, [what, status, step]] of steps.entries()) {
      expect([what, ((await step()) as { status: number }).status]).toEqual([what, status]);
      expect([what, (await s.nth('changed', n)).data]).toEqual([what, { tokens: 0, clock: CLOCK }]);
    }
  });

  test("a session's stream carries only that session's requests", async () => {
    await t.http.post('/__sandbox/sessions').send({ id: 'w1' });
    const s = await open('/s/w1/__sandbox/events');
    expect((await s.nth('hello')).data).toMatchObject({ session: 'w1' });
    const viaHeader = await open('/__sandbox/events', { 'x-sandbox-session': 'w1' });
    await getCode(t.http);
    await getCode(t.http, '/s/w1');
    const first = await s.nth('request');
    expect([(first.data as { session: string }).session, (first.data as { path: string }).path]).toEqual(['w1', '/s/w1/oauth/authverify2.as']);
    expect((await viaHeader.nth('request')).data).toEqual(first.data);
    expect(s.messages.filter((m) => m.event === 'request')).toHaveLength(1);
  });

  test('refusals: a bad since, an unknown session', async () => {
    const bad = await t.http.get('/__sandbox/events').query({ since: 'yesterday' });
    expect([bad.status, bad.body]).toEqual([
      400,
      { error: 'invalid_request', message: '"since" (or Last-Event-ID) must be a journal id (a whole number), got "yesterday".' },
    ]);
    const gone = await t.http.get('/s/gone/__sandbox/events');
    expect([gone.status, gone.body.error]).toEqual([404, 'unknown_session']);
  });

  test('open streams end when the sandbox closes, so close() does not wait for them', async () => {
    const s = await open('/__sandbox/events');
    await s.nth('hello');
    const started = Date.now();
    await t.sb.close();
    expect(Date.now() - started).toBeLessThan(5000);
    await s.untilEnd();
  });
});
