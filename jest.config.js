/** Tests are TypeScript run as native ESM (lowdb and yargs ship ESM only). */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
};

export default {
  testTimeout: 20000,
  // Most tests wait on sockets and child processes (sandboxes, Redis, Chromium, nginx), not on the CPU: one
  // worker per core and a half keeps both cores busy (on 2 cores: 3 workers, 3m10s instead of 6m40s with 1).
  maxWorkers: '150%',
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
