import { openSharedStore } from '../../src/core/state/redis/store.js';
import { workerRedis } from '../helpers/redis.js';
import { lifecycleRules } from '../unit/lifecycle/lifecycle-rules.js';

/** The lifecycle's rules once more with every token in Redis: single use, rotation and reuse detection hold there too. */
lifecycleRules('Redis store', async () => {
  const { url, prefix } = workerRedis();
  const shared = await openSharedStore(url, prefix);
  return { store: shared.backendFor('default', true).tokens, close: () => shared.close() };
});
