import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StoreUnavailable } from '../store-unavailable.js';
import { Keys } from './keys.js';
import { redactUrl } from './redact-url.js';
import { COMMIT_TOKENS, CREATE_SESSION, FIRE_WITHIN, RECORD_ENTRY, SET_FIELD_IF } from './scripts.js';

/** No request may wait longer than this for Redis, all its commands together: past it, the platform's system error answers. */
export const REQUEST_STORE_BUDGET_MS = 2000;
const COMMAND_TIMEOUT_MS = REQUEST_STORE_BUDGET_MS;

/** What the request being served has waited for Redis so far (ms); absent outside a request's budget. */
const budgets = new AsyncLocalStorage<{ spentMs: number }>();
/** A readiness probe answers within this, under the 1 s a Kubernetes probe waits by default. */
const PROBE_TIMEOUT_MS = 750;

type Script = (keys: string[], args: (string | number)[]) => Promise<unknown>;

/** One process's connections to the shared store: commands (auto-pipelined), and a subscriber for the event channel. */
export interface RedisConnection {
  redis: Redis;
  subscriber: Redis;
  keys: Keys;
  /** This process, in messages on the event channel (so it can skip its own). */
  origin: string;
  scripts: { commit: Script; setFieldIf: Script; recordEntry: Script; fireWithin: Script; createSession: Script };
  /**
   * Run a call, turning a lost or slow connection into StoreUnavailable. Within a request's budget
   * (withBudget), it waits at most what is left of it, and fails at once when that is spent.
   */
  run<T>(call: () => Promise<T>): Promise<T>;
  /**
   * Serve a request with one budget of REQUEST_STORE_BUDGET_MS for all its commands: without it, each
   * command waits out its own timeout (a world sync, then a journal write: 4 to 6 s on a stalled Redis).
   */
  withBudget<T>(serve: () => T): T;
  /** Run `f` outside any request's budget (a long-lived answer such as an event stream has none). */
  withoutBudget<T>(f: () => T): T;
  /** Why the store cannot serve right now (no connection, no answer to PING in time), or undefined when it can. */
  unreachable(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** `redis://host:port/db` as a user may have typed it, checked before anything connects. */
export function checkStoreUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--store must be "memory" or a Redis URL such as redis://127.0.0.1:6379/0, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new Error(`--store must be "memory" or a redis:// (or rediss://) URL, got ${JSON.stringify(url)}`);
}

/**
 * Connect, or fail at once with the cause (start-up must not hang on a Redis that is not there).
 * Once connected, a dropped connection is retried for ever in the background, and every command in
 * the meantime fails fast instead of waiting in a queue.
 */
export async function connectRedis(url: string, prefix: string): Promise<RedisConnection> {
  checkStoreUrl(url);
  const { Redis: Client } = await import('ioredis');
  let ready = false;
  const options = {
    lazyConnect: true,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: COMMAND_TIMEOUT_MS,
    // How long close() lets a connection end by itself before cutting it. ioredis's 2 s also ran on a
    // connection Redis had already dropped, keeping the process (a test runner's) alive that long after close().
    disconnectTimeout: 100,
    // Before the first connection a failure ends start-up; afterwards the connection is retried.
    retryStrategy: (times: number) => (ready ? Math.min(100 * times, 1000) : null),
  };
  const redis = new Client(url, options);
  const subscriber = new Client(url, { ...options, enableAutoPipelining: false, commandTimeout: undefined });
  // Errors while reconnecting are reported by the commands that fail; the client must not crash the process.
  // The first one is also the best cause to give when start-up fails (ECONNREFUSED, not "Connection is closed").
  let firstError: Error | undefined;
  redis.on('error', (e: Error) => (firstError ??= e));
  subscriber.on('error', () => undefined);
  try {
    await redis.connect();
    await subscriber.connect();
  } catch (e) {
    // A client whose connection already ended holds nothing; disconnect() would still arm a 2 s timer
    // for a stream that is gone, keeping the process (and a test runner) alive after the rejection.
    for (const client of [redis, subscriber]) if (client.status !== 'end') client.disconnect();
    throw new Error(`cannot reach Redis at ${redactUrl(url)} (${(firstError ?? (e as Error)).message}): start it, or check --store`);
  }
  ready = true;
  const unbudgeted = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      throw isConnectionError(e) ? new StoreUnavailable(e) : e;
    }
  };
  const run = <T>(call: () => Promise<T>): Promise<T> => {
    const budget = budgets.getStore();
    if (!budget) return unbudgeted(call);
    const left = REQUEST_STORE_BUDGET_MS - budget.spentMs;
    if (left <= 0) return Promise.reject(new StoreUnavailable(new Error(spent())));
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    // The command itself may still complete in Redis after this request stopped waiting, as after a command timeout.
    const outOfTime = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new StoreUnavailable(new Error(spent()))), left)));
    return Promise.race([unbudgeted(call), outOfTime]).finally(() => {
      clearTimeout(timer);
      budget.spentMs += performance.now() - started;
    });
  };
  const script = (lua: string): Script => {
    const name = `sb${Math.abs(hash(lua))}`;
    redis.defineCommand(name, { lua });
    return (keys, args) =>
      run(() => (redis as unknown as Record<string, (n: number, ...a: (string | number)[]) => Promise<unknown>>)[name](keys.length, ...keys, ...args));
  };
  // Probes arriving together share one PING: a load balancer and an orchestrator probing every replica cost Redis one command.
  let probing: Promise<string | undefined> | undefined;
  const unreachable = (): Promise<string | undefined> => {
    if (redis.status !== 'ready') return Promise.resolve(`no connection to Redis (${redis.status})`);
    probing ??= new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(`Redis did not answer PING within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
      redis
        .ping()
        .then(
          () => undefined,
          (e: Error) => e.message,
        )
        .then((why) => {
          clearTimeout(timer);
          resolve(why);
        });
    }).finally(() => (probing = undefined));
    return probing;
  };
  return {
    redis,
    subscriber,
    keys: new Keys(prefix),
    origin: randomBytes(8).toString('hex'),
    scripts: {
      commit: script(COMMIT_TOKENS),
      setFieldIf: script(SET_FIELD_IF),
      recordEntry: script(RECORD_ENTRY),
      fireWithin: script(FIRE_WITHIN),
      createSession: script(CREATE_SESSION),
    },
    run,
    withBudget: (serve) => budgets.run({ spentMs: 0 }, serve),
    withoutBudget: (f) => budgets.exit(f),
    unreachable,
    close: async () => {
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}

const spent = () => `Redis did not answer within the ${REQUEST_STORE_BUDGET_MS} ms a request may wait for it`;

function isConnectionError(e: unknown): boolean {
  const message = (e as Error)?.message ?? '';
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  return (
    /LOADING|Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|MaxRetriesPerRequest|Reached the max retries|connect ECONNREFUSED|ECONNRESET|EPIPE/.test(
      message,
    ) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)
  );
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}
