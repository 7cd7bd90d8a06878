import { startSandbox, type RunningSandbox } from '../../src/index.js';
import { ControlError } from '../../src/core/errors/control-error.js';
import { getTokensAt } from '../helpers/mantun.js';
import { workerRedis } from '../helpers/redis.js';

/**
 * `default` names the default world, never a session, in memory and in Redis alike: the HTTP control
 * plane and the in-process API refuse it with one answer, and nothing a session call does reaches the
 * default world's tokens (in Redis they live under the id `default`).
 */

const REFUSAL =
  '"id" must not be "default": that name is the sandbox\'s default world (the one requests reach without a session), not a session. Pick another id, or send none and one is made up.';
const NO_SESSION =
  'No session "default": it was never created or has been ended; GET /__sandbox/sessions lists the open ones, POST /__sandbox/sessions creates one.';

const stores: [string, () => Record<string, string>][] = [
  ['memory', () => ({})],
  [
    'redis',
    () => {
      const { url, prefix } = workerRedis();
      return { store: url, storePrefix: prefix };
    },
  ],
];

describe.each(stores)('session id "default" with the %s store', (_name, storeOptions) => {
  let sb: RunningSandbox;
  beforeEach(async () => {
    sb = await startSandbox({ port: 0, logLevel: 'silent', seed: 'reserved', ...storeOptions() });
  });
  afterEach(() => sb.close());

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sb.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const tokenCount = async () => (await call('GET', '/__sandbox/tokens')).body.count;

  test('is refused over HTTP and in process, and the default world keeps its tokens', async () => {
    await getTokensAt(sb.url);
    const before = await tokenCount();
    expect(before).toBe(3);

    expect(await call('POST', '/__sandbox/sessions', { id: 'default' })).toEqual({ status: 400, body: { error: 'invalid_request', message: REFUSAL } });
    const thrown = await sb.sessions.create({ id: 'default' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(ControlError);
    expect((thrown as ControlError).toJSON()).toEqual({ error: 'invalid_request', message: REFUSAL });

    // Ending, reaching or listing it finds no session, and leaves the default world as it was.
    expect(await call('DELETE', '/__sandbox/sessions/default')).toEqual({ status: 404, body: { error: 'unknown_session', message: NO_SESSION } });
    expect(await call('GET', '/s/default/__sandbox/clock')).toEqual({ status: 404, body: { error: 'unknown_session', message: NO_SESSION } });
    expect((await call('GET', '/__sandbox/sessions')).body).toMatchObject({ count: 0 });
    expect(sb.sessions.list()).toEqual([]);
    expect(await tokenCount()).toBe(before);
  });

  test('other ids still open sessions of their own', async () => {
    const res = await call('POST', '/__sandbox/sessions', { id: 'Default-2' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'Default-2' });
    expect((await sb.sessions.create({ id: 'defaults' })).id).toBe('defaults');
  });
});
