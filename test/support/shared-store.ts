import { startRedis, type RedisServer } from '../helpers/redis.js';

/**
 * The "redis" Jest project runs the platform and scenario tests again with every sandbox on a real
 * Redis (one redis-server per test file, started and stopped here), so the two stores cannot drift apart.
 */
let redis: RedisServer | undefined;

beforeAll(async () => {
  redis = await startRedis();
  process.env.SANDBOX_TEST_REDIS_URL = redis.url;
});

afterAll(async () => {
  delete process.env.SANDBOX_TEST_REDIS_URL;
  await redis?.stop();
});
