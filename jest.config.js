import { availableParallelism } from 'node:os';

/** Tests are TypeScript run as native ESM (lowdb and yargs ship ESM only). */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  // One redis-server per worker for the whole run (test/helpers/redis.ts, workerRedis()).
  globalSetup: '<rootDir>/test/support/redis-servers.ts',
  globalTeardown: '<rootDir>/test/support/redis-servers-teardown.ts',
};

export default {
  testTimeout: 20000,
  // One worker per core: each worker starts sandboxes, CLI processes, Chromium or a JVM of its own, and more
  // workers than cores starved a 2-core runner (timing-bound tests missed, the run got slower, not faster).
  // Counted here because Jest reads a percentage over 100 ('150%') as a number of workers.
  maxWorkers: availableParallelism(),
  testSequencer: '<rootDir>/test/support/sequencer.cjs',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // One project. The two stores are held together by test/contracts/ (every store interface, the journal and
  // the lifecycle rules against memory and Redis) and test/conformance/ (a flow per platform on Redis), not by
  // running every platform test twice. The name stays so `--selectProjects memory` keeps working.
  projects: [{ ...common, displayName: 'memory', testMatch: ['**/*.test.ts'] }],
};
