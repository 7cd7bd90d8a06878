import { jest } from '@jest/globals';
import { Agent, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { Journal, MASK, type JournalEntry } from '../../../src/core/journal.js';
import type { Exchange, Interceptor } from '../../../src/core/http/exchange.js';
import { ScenarioEngine } from '../../../src/core/scenarios/engine.js';
import { LocalSessions, SessionRegistry, type SessionDirectory } from '../../../src/core/sessions/registry.js';
import { isPromise } from '../../../src/core/state/maybe-async.js';
import type { World, WorldLink } from '../../../src/core/world.js';
import type { Reply } from '../../../src/core/platform.js';
import { getTokens, MantunClient } from '../../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { login, USER, USER_NOT_FOUND } from '../../helpers/usercenter.js';
import type { EndpointContext, PlatformRequest } from '../../../src/core/platform.js';
import { SseClient } from '../../ui/sse-client.js';

/** A journal entry as the dispatcher records one: a POST to endpoint `e` of platform `p`, answered 200 in JSON. */
const journalEntry = (query: Record<string, unknown>, body: unknown, answer: unknown): Omit<JournalEntry, 'id'> => ({
  time: 0,
  session: 'default',
  platform: 'p',
  endpoint: 'e',
  matched: true,
  method: 'POST',
  path: '/e',
  status: 200,
  durationMs: 1,
  request: { query, body },
  response: { contentType: 'application/json', body: answer },
});

/** An in-memory request pays only for what it uses: no promise it does not need, no interceptor without a rule, no masking nobody reads. */

let t: TestSandbox;
afterEach(async () => {
  jest.restoreAllMocks();
  await t?.close();
});

const getProjects = (accessToken: string) => new MantunClient(t.http).call(accessToken, 'GET_PROJECTS', t.sb.clock.now());

describe('world resolution', () => {
  test('a request naming no session resolves at once (no promise) to the default world, path untouched', async () => {
    t = await startTestSandbox();
    const resolved = t.sb.sandbox.resolveWorld('/router.as', {});
    expect(isPromise(resolved)).toBe(false);
    expect(resolved).toEqual({ world: t.sb.sandbox.world, path: '/router.as', prefix: '' });
    expect(t.sb.sandbox.sessions.resolve('/router.as', { 'x-sandbox-session': '' })).toBeUndefined();
  });

  test('in memory a session, known or not, by prefix or header, resolves at once too', async () => {
    t = await startTestSandbox();
    const { id } = await t.sb.sessions.create({ id: 'alpha' });
    const world = t.sb.sandbox.sessions.get(id)!.world;
    expect(t.sb.sandbox.resolveWorld('/s/alpha/router.as', {})).toEqual({ world, path: '/router.as', prefix: '/s/alpha' });
    expect(t.sb.sandbox.resolveWorld('/router.as', { 'x-sandbox-session': 'alpha' })).toEqual({ world, path: '/router.as', prefix: '' });
    expect(t.sb.sandbox.resolveWorld('/s/nope/router.as', {})).toEqual({ unknownSession: 'nope' });
  });

  test('a directory in a shared store (answering with promises) makes the lookup of an unseen session a promise', async () => {
    const local = new LocalSessions();
    const shared: SessionDirectory = {
      claim: async (...a) => local.claim(...a),
      createdAt: async (id) => local.createdAt(id),
      list: async () => local.list(),
      release: async (id) => local.release(id),
    };
    local.claim('b', 5, 10);
    const worldOf = jest.fn((id: string) => ({ id }) as unknown as World);
    const registry = new SessionRegistry({ directory: shared, worldOf, seed: 's', now: () => 0 });
    expect(registry.resolve('/x', {})).toBeUndefined();
    const pending = registry.resolve('/s/b/x', {});
    expect(isPromise(pending)).toBe(true);
    expect(await pending).toEqual({ world: { id: 'b' }, path: '/x', prefix: '/s/b' });
    // Seen once, the session's world is known here: the next lookup answers at once, with the same world.
    expect(registry.resolve('/s/b/y', {})).toEqual({ world: { id: 'b' }, path: '/y', prefix: '/s/b' });
    expect(worldOf).toHaveBeenCalledTimes(1);
    expect(await registry.resolve('/s/zz/x', {})).toEqual({ unknownSession: 'zz' });
  });
});

describe('world sync', () => {
  test("an in-memory world's requests never call sync()", async () => {
    t = await startTestSandbox();
    const sync = jest.spyOn(t.sb.sandbox.world, 'sync');
    const { accessToken } = await getTokens(t.http);
    const res = await getProjects(accessToken);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(sync).not.toHaveBeenCalled();
  });

  test('a world with a link is synced once per request, and a world gone elsewhere answers 404 unknown_session', async () => {
    t = await startTestSandbox();
    const { accessToken } = await getTokens(t.http);
    let exists = true;
    const link = {
      sync: jest.fn(async () => exists),
      publish: async () => undefined,
      countCall: async () => 1,
      fire: async () => true,
      counters: async () => ({}),
      notify: () => undefined,
      create: async () => true,
    } satisfies WorldLink;
    Object.assign(t.sb.sandbox.world, { link });
    expect((await getProjects(accessToken)).status).toBe(200);
    expect(link.sync).toHaveBeenCalledTimes(1);
    exists = false;
    const gone = await getProjects(accessToken);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toBe('unknown_session');
    expect(link.sync).toHaveBeenCalledTimes(2);
  });
});

describe('interceptors', () => {
  test('with no fault rule the chain is not entered; an armed rule enters it and fires over HTTP; disarmed, it is skipped again', async () => {
    let entered = 0;
    const original = ScenarioEngine.prototype.interceptor;
    jest.spyOn(ScenarioEngine.prototype, 'interceptor').mockImplementation(function (this: ScenarioEngine) {
      const real = original.call(this);
      const counting: Interceptor = (ex: Exchange, next: () => Promise<Reply>) => {
        entered++;
        return real(ex, next);
      };
      counting.engaged = real.engaged;
      return counting;
    });
    t = await startTestSandbox();
    const { accessToken } = await getTokens(t.http);
    expect((await getProjects(accessToken)).status).toBe(200);
    expect(entered).toBe(0);

    await t.http
      .post('/__sandbox/faults')
      .send({ endpoint: 'router.as', nth: 2, respond: { status: 418, body: { error: 'teapot' } } })
      .expect(201);
    const first = await getProjects(accessToken);
    const second = await getProjects(accessToken);
    expect([first.status, second.status]).toEqual([200, 418]);
    expect(second.body).toEqual({ error: 'teapot' });
    expect(entered).toBe(2);

    await t.http.delete('/__sandbox/faults').expect(200);
    expect((await getProjects(accessToken)).status).toBe(200);
    expect(entered).toBe(2);
  });

  test('a rule armed in a session enters the chain for that session only', async () => {
    t = await startTestSandbox();
    const { id } = await t.sb.sessions.create({ id: 'faulty' });
    await t.http
      .post(`/s/${id}/__sandbox/faults`)
      .send({ endpoint: 'authverify2.as', respond: { status: 503, body: { error: 'down' } } })
      .expect(201);
    const plain = await new MantunClient(t.http).post('/oauth/authverify2.as', {});
    const session = await new MantunClient(t.http, `/s/${id}`).post('/oauth/authverify2.as', {});
    expect(plain.status).not.toBe(503);
    expect(session.status).toBe(503);
    expect(session.body).toEqual({ error: 'down' });
  });
});

describe('the journal masks responses when it is read', () => {
  const SECRET = 'S3CRET-in-the-answer';
  const RULE = {
    endpoint: 'authverify2.as',
    respond: { status: 200, body: { client_secret: SECRET, passwd: SECRET, access_token: 'visible', note: `passwd=${SECRET}&a=b` } },
  };

  test('the client gets the answer whole; GET /__sandbox/requests shows its secrets masked', async () => {
    t = await startTestSandbox();
    await t.http.post('/__sandbox/faults').send(RULE).expect(201);
    const res = await new MantunClient(t.http).post('/oauth/authverify2.as', { uname: 'u', passwd: 'pw-sent' });
    expect(res.body.client_secret).toBe(SECRET);
    const listed = await t.http.get('/__sandbox/requests').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);
    expect(JSON.stringify(listed.body)).not.toContain('pw-sent');
    expect(listed.body.requests[0].response.body).toEqual({ client_secret: MASK, passwd: MASK, access_token: 'visible', note: `passwd=${MASK}&a=b` });
    // Read again (and through the in-process API): the same masked entry.
    expect((await t.http.get('/__sandbox/requests').expect(200)).body.requests[0]).toEqual(listed.body.requests[0]);
    expect(JSON.parse(JSON.stringify(t.sb.requests()[0]))).toEqual(listed.body.requests[0]);
  });

  test('the event stream never carries the secret', async () => {
    t = await startTestSandbox();
    await t.http.post('/__sandbox/faults').send(RULE).expect(201);
    const stream = await SseClient.open(`${t.sb.url}/__sandbox/events`, {});
    try {
      await stream.nth('hello');
      await new MantunClient(t.http).post('/oauth/authverify2.as', {});
      const message = await stream.nth('request');
      expect(JSON.stringify(message)).not.toContain(SECRET);
      expect((message.data as JournalEntry).response.body).toMatchObject({ client_secret: MASK, passwd: MASK, access_token: 'visible' });
    } finally {
      stream.close();
    }
  });

  test('an entry is kept as answered until read, masked once; a follower or a large answer gets it masked at once', () => {
    const journal = new Journal(10);
    const entry = (body: unknown) => journalEntry({}, undefined, body);
    const kept = journal.record(entry({ secret: 'x', ok: 1 }), 20) as JournalEntry;
    expect(kept.response.body).toEqual({ secret: 'x', ok: 1 });
    const [listed] = journal.list();
    expect(listed.response.body).toEqual({ secret: MASK, ok: 1 });
    const maskedOnce = listed.response.body;
    expect(journal.list()[0].response.body).toBe(maskedOnce);

    const large = journal.record(entry({ secret: 'y', text: 'z'.repeat(40_000) }), 40_100) as JournalEntry;
    expect((large.response.body as Record<string, unknown>).secret).toBe(MASK);
    expect(((large.response.body as Record<string, unknown>).text as string).length).toBeLessThan(5000);

    const seen: unknown[] = [];
    journal.subscribe((e) => seen.push(e.response.body));
    journal.record(entry({ password: 'p' }), 10);
    expect(seen).toEqual([{ password: MASK }]);
  });
  test('the request side too: its query and body are kept as asked until read, then masked once; a large request is masked at once', () => {
    const journal = new Journal(10);
    const asked = (query: Record<string, unknown>, body: unknown) => journalEntry(query, body, { ok: 1 });
    const params = { client_id: 'c', client_secret: 'S', note: 'passwd=p&x=1' };
    const kept = journal.record(asked({ sign: 'Q', page: '1' }, params), 40) as JournalEntry;
    // Nothing was copied on the way in: the entry holds the params as the endpoint parsed them.
    expect(kept.request.body).toBe(params);
    const [listed] = journal.list();
    expect(listed.request).toEqual({ query: { sign: MASK, page: '1' }, body: { client_id: 'c', client_secret: MASK, note: `passwd=${MASK}&x=1` } });
    expect(params.client_secret).toBe('S');
    const maskedOnce = listed.request.body;
    expect(journal.list()[0].request.body).toBe(maskedOnce);

    const big = journal.record(asked({}, { passwd: 'p', text: 'z'.repeat(40_000) }), 40_100) as JournalEntry;
    expect((big.request.body as Record<string, unknown>).passwd).toBe(MASK);
    expect(((big.request.body as Record<string, unknown>).text as string).length).toBeLessThan(5000);
  });

  test('over HTTP a secret sent in a request never reaches a listing or the event stream, whichever reads first', async () => {
    t = await startTestSandbox();
    const stream = await SseClient.open(`${t.sb.url}/__sandbox/events`, {});
    try {
      await stream.nth('hello');
      await new MantunClient(t.http).post('/oauth/authverify2.as?client_secret=q-secret', { uname: 'u', passwd: 'pw-sent' });
      const message = await stream.nth('request');
      expect(JSON.stringify(message)).not.toMatch(/pw-sent|q-secret/);
    } finally {
      stream.close();
    }
    await new MantunClient(t.http).post('/oauth/authverify2.as?client_secret=q-secret2', { uname: 'u', passwd: 'pw-sent2' });
    const listed = (await t.http.get('/__sandbox/requests').expect(200)).body.requests;
    expect(JSON.stringify(listed)).not.toMatch(/pw-sent|q-secret/);
    expect(listed[0].request.body).toBe(`uname=u&passwd=${MASK}`);
    expect(listed[0].request.query).toEqual({ client_secret: MASK });
  });
});

describe('UserCenter look-ups answer in the turn they arrive in', () => {
  /** Call an endpoint as the dispatcher does (parse, then handle), in the default world. */
  function handle(path: string, body: Record<string, unknown>): unknown {
    const world = t.sb.sandbox.world;
    const route = t.sb.sandbox.routes.find('POST', path)!;
    const request: PlatformRequest = {
      method: 'POST',
      path,
      query: {},
      headers: {},
      contentType: 'application/json',
      rawBody: Buffer.from(JSON.stringify(body)),
      baseUrl: 'http://127.0.0.1',
    };
    const ctx: EndpointContext = { world, fixture: world.fixture('usercenter'), index: world.index('usercenter'), request, endpoint: route.endpoint };
    return route.endpoint.handle(route.endpoint.parse(request, ctx), ctx);
  }

  test('in memory getUserByToken and checkOauthToken answer at once, not with a promise; a dead token is refused at once too', async () => {
    t = await startTestSandbox();
    const { accessToken } = await login(t.http);
    const user = handle('/user/getUserByToken', { accessToken }) as { status: number; data: { status: number; user: { userId: string } } };
    expect(isPromise(user)).toBe(false);
    expect(user.status).toBe(200);
    expect(user.data.status).toBe(1);
    expect(user.data.user.userId).toBe(USER.userId);
    const checked = handle('/user/checkOauthToken', { accessToken });
    expect(isPromise(checked)).toBe(false);
    expect(() => handle('/user/getUserByToken', { accessToken: 'nope' })).toThrow(expect.objectContaining({ kind: 'user_not_found' }));
    // Over HTTP, the same answers as ever.
    expect((await t.http.post('/user/getUserByToken').send({ accessToken: 'nope' })).body).toEqual({ status: 0, msg: USER_NOT_FOUND });
    expect((await t.http.post('/user/getUserByToken').send({ accessToken })).body).toMatchObject({ status: 1, user: { userId: USER.userId } });
  });
});

describe('a stop, with no bookkeeping per request', () => {
  /** A form POST on a keep-alive agent whose body is sent in two halves, the second when `rest` is called. */
  function post(agent: Agent, path: string, body: string) {
    let gotSocket!: (s: Socket) => void;
    const socket = new Promise<Socket>((resolve) => (gotSocket = resolve));
    let req!: ReturnType<typeof httpRequest>;
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req = httpRequest(
        `${t.sb.url}${path}`,
        { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('socket', (s) => gotSocket(s as Socket));
      req.on('error', reject);
    });
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    return { socket, answer, rest: () => req.end(body.slice(half)) };
  }
  const closed = (s: Socket) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

  test('close() lets a request in flight on a keep-alive connection be answered, then drops that connection and the idle ones at once', async () => {
    t = await startTestSandbox();
    const busy = new Agent({ keepAlive: true, maxSockets: 1 });
    const idle = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // One connection served a request and now waits for the next; the other is halfway through sending one.
      const first = post(idle, '/oauth/token.as', 'grant_type=authorization_code');
      first.rest();
      expect((await first.answer).status).toBe(400);
      const inFlight = post(busy, '/oauth/token.as', 'grant_type=authorization_code');
      const busySocket = await inFlight.socket;
      await new Promise((r) => setTimeout(r, 100));
      const started = performance.now();
      const closing = t.sb.close();
      await closed(await first.socket);
      await new Promise((r) => setTimeout(r, 100));
      expect(busySocket.destroyed).toBe(false);
      inFlight.rest();
      expect((await inFlight.answer).status).toBe(400);
      await closed(busySocket);
      await closing;
      // Well inside the 5 s grace after which a stop cuts whatever is left.
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      busy.destroy();
      idle.destroy();
    }
  });
});
