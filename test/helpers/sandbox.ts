import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { startSandbox, type RunningSandbox } from '../../src/index.js';
import type { SandboxOptions } from '../../src/sandbox.js';

export interface TestSandbox {
  sb: RunningSandbox;
  /** supertest bound to the running server's URL: every call is real HTTP on a port chosen by the OS. */
  http: TestAgent;
  close(): Promise<void>;
}

/**
 * Start a real sandbox on port 0 (built-in fixtures unless told otherwise). On Redis: pass `store` and
 * `storePrefix` from workerRedis() (test/helpers/redis.ts), this Jest worker's server.
 */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const sb = await startSandbox({ port: 0, logLevel: 'silent', seed: 'test', ...options });
  return { sb, http: request(sb.url), close: () => sb.close() };
}

/** Fixture files used by tests live beside them. */
export const testFixture = (name: string): string => new URL(`../fixtures/${name}`, import.meta.url).pathname;

/**
 * A sandbox for every test of a file (`scope: 'each'`, the default: each test starts from a fresh
 * one) or one shared by all of them (`'all'`): started and closed by Jest's hooks, reached with `t()`.
 */
export function useSandbox(options: SandboxOptions = {}, scope: 'each' | 'all' = 'each'): () => TestSandbox {
  let current: TestSandbox | undefined;
  const start = async () => {
    current = await startTestSandbox(options);
  };
  const stop = async () => {
    await current?.close();
    current = undefined;
  };
  if (scope === 'each') {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterAll(stop);
  }
  return () => {
    if (!current) throw new Error('useSandbox(): the sandbox exists only while a test runs');
    return current;
  };
}
