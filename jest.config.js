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
  // Most tests wait on sockets and child processes (sandboxes, Redis, Chromium, nginx), not on the CPU: a worker
  // and a half per core keeps the cores busy. Counted here because Jest reads a percentage over 100 ('150%') as a
  // number of workers: 150 of them, each with its sandboxes and browsers, starved a 2-core runner.
  maxWorkers: Math.ceil(availableParallelism() * 1.5),
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'memory', testMatch: ['**/*.test.ts'] },
    // The platform and scenario tests once more, every sandbox on a real Redis: the two stores cannot drift apart.
    {
      ...common,
      displayName: 'redis',
      testMatch: ['<rootDir>/test/{mantun,usercenter,sop,zjrc,scenarios}/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/shared-store.ts'],
    },
  ],
};
