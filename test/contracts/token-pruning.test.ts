import { Redis } from 'ioredis';
import { workerRedis } from '../helpers/redis.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { passwordBody } from '../helpers/usercenter.js';

/**
 * Token records are forgotten once no rule needs them (issue 24, Medium 3), in both stores, seen from the
 * outside: UserCenter password logins mint a pair with no code, and used to stay for good (a clock moved 400
 * days removed only codes). Access tokens live a day, refresh tokens three (refreshFactor 3); a record is
 * forgotten a day of sandbox time after it ended.
 */

const START = Date.parse('2026-03-01T00:00:00Z');
const LOGINS = 200;

interface Store {
  options: () => { store?: string; storePrefix?: string };
  /** Keys of token records and of families the store holds (Redis only: in memory the record count says it all). */
  keys?: (prefix: string) => Promise<{ records: number; families: number }>;
}

const redisKeys = async (url: string, prefix: string) => {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    const count = async (match: string) => {
      let n = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
        cursor = next;
        n += keys.length;
      } while (cursor !== '0');
      return n;
    };
    return { records: await count(`${prefix}w:default:t:*`), families: await count(`${prefix}w:default:f:*`) };
  } finally {
    redis.disconnect();
  }
};

let redisAt: { url: string; prefix: string } | undefined;
const STORES: [string, Store][] = [
  ['memory', { options: () => ({}) }],
  [
    'redis',
    {
      options: () => {
        redisAt = workerRedis();
        return { store: redisAt.url, storePrefix: redisAt.prefix };
      },
      keys: () => redisKeys(redisAt!.url, redisAt!.prefix),
    },
  ],
];

describe.each(STORES)('%s store: expired and spent token records are forgotten', (_name, store) => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox(store.options());
  });
  afterAll(() => t.close());

  const records = async (): Promise<number> => {
    const res = await fetch(`${t.sb.url}/__sandbox/tokens?limit=10000`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { count: number }).count;
  };
  const clock = async (body: unknown) => {
    const res = await fetch(`${t.sb.url}/__sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  };
  /** A password login as YHT's client library sends it; `result` is a JSON string inside the JSON answer. */
  const login = async (): Promise<{ accessToken: string; refreshToken: string }> => {
    const res = await fetch(`${t.sb.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(passwordBody()),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: number; result: string };
    expect(body.status).toBe(1);
    return JSON.parse(body.result) as { accessToken: string; refreshToken: string };
  };

  test(`${LOGINS} logins, then days pass: records ended a day ago go, live ones stay and work`, async () => {
    await clock({ set: START, rate: 0 });
    for (let i = 0; i < LOGINS; i++) await login();
    expect(await records()).toBe(2 * LOGINS);

    // Two days on: every access token expired a day ago (forgotten); the refresh tokens live a day more.
    await clock({ advance: '2d' });
    const second = await login();
    expect(await records()).toBe(LOGINS + 2);
    const kinds = (await (await fetch(`${t.sb.url}/__sandbox/tokens?limit=10000&kind=access`)).json()) as { tokens: { value: string }[] };
    expect(kinds.tokens.map((x) => x.value)).toEqual([second.accessToken]);

    // Four days: the first refresh tokens ended at day three, the second login's access token at day three.
    await clock({ advance: '2d' });
    const third = await login();
    expect(await records()).toBe(3);
    const left = (await (await fetch(`${t.sb.url}/__sandbox/tokens?limit=10000`)).json()) as { tokens: { value: string; state: string }[] };
    expect(left.tokens.map((x) => [x.value, x.state])).toEqual([
      [second.refreshToken, 'active'],
      [third.accessToken, 'active'],
      [third.refreshToken, 'active'],
    ]);
    if (store.keys) expect(await store.keys('')).toEqual({ records: 3, families: 2 });

    // What is left still works: the newest access token reads its user.
    const user = await fetch(`${t.sb.url}/user/getUserByToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessToken: third.accessToken }),
    });
    expect(user.status).toBe(200);
    expect(((await user.json()) as { status: number }).status).toBe(1);
  });
});
