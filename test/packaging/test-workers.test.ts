import { availableParallelism } from 'node:os';

/**
 * The suite's own worker count. Jest reads maxWorkers '150%' as 150 workers (a percentage over 100 is taken
 * as a count), and 150 workers with their sandboxes and browsers starved a 2-core CI runner into timeouts; even
 * three on two cores made the whole suite slower.
 */
test('Jest runs at most one worker per core', async () => {
  const configFile = new URL('../../jest.config.js', import.meta.url).href;
  const { default: config } = (await import(configFile)) as { default: { maxWorkers: unknown } };
  expect(typeof config.maxWorkers).toBe('number');
  expect(config.maxWorkers).toBeGreaterThanOrEqual(1);
  expect(config.maxWorkers).toBeLessThanOrEqual(availableParallelism());
});
