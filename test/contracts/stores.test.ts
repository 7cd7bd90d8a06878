import { openSharedStore, type SharedStore } from '../../src/core/state/redis/store.js';
import { Journal } from '../../src/core/journal.js';
import { MemoryTokens } from '../../src/core/state/memory-tokens.js';
import { MemoryState } from '../../src/core/state/state-backend.js';
import { LocalSessions } from '../../src/core/sessions/registry.js';
import { createRandom } from '../../src/core/random/seeded-random.js';
import { World } from '../../src/core/world.js';
import { acme } from '../fifth-platform/acme/index.js';
import { workerRedis } from '../helpers/redis.js';
import { journalContract } from './journal.contract.js';
import { INITIAL, stateBackendContract } from './state-backend.contract.js';
import { sessionDirectoryContract } from './session-directory.contract.js';
import { tokenBackendContract } from './token-backend.contract.js';
import { worldLinkContract } from './world-link.contract.js';

/**
 * Every store interface against both implementations: this process's memory, and Redis (this Jest
 * worker's redis-server, a fresh key prefix per test). The Redis handles are two connections, as two
 * processes of one deployment hold; the memory handles are one object twice.
 */

/** Two processes of one deployment: two connections to one Redis, under one prefix. */
async function twoProcesses(): Promise<{ a: SharedStore; b: SharedStore; close(): Promise<void> }> {
  const { url, prefix } = workerRedis();
  const [a, b] = await Promise.all([openSharedStore(url, prefix), openSharedStore(url, prefix)]);
  return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

const done = async () => undefined;

tokenBackendContract('memory', async () => {
  const tokens = new MemoryTokens();
  return { a: tokens, b: tokens, close: done };
});
tokenBackendContract('redis', async () => {
  const p = await twoProcesses();
  return { a: p.a.backendFor('w1', true).tokens, b: p.b.backendFor('w1', true).tokens, close: p.close };
});

stateBackendContract('memory', async () => {
  const state = new MemoryState(INITIAL());
  return { a: state, b: state, close: done };
});
stateBackendContract('redis', async () => {
  const p = await twoProcesses();
  return { a: p.a.backendFor('w1', true).state(INITIAL), b: p.b.backendFor('w1', true).state(INITIAL), close: p.close };
});

sessionDirectoryContract('memory', async () => {
  const sessions = new LocalSessions();
  return { a: sessions, b: sessions, close: done };
});
sessionDirectoryContract('redis', async () => {
  const p = await twoProcesses();
  return { a: p.a.sessions, b: p.b.sessions, close: p.close };
});

journalContract('memory', async () => {
  const journal = new Journal(5);
  return { a: journal, b: journal, cap: 5, close: done };
});
journalContract('redis', async () => {
  const p = await twoProcesses();
  return { a: p.a.journal(5), b: p.b.journal(5), cap: 5, close: p.close };
});

const ACME_FIXTURES = { acme: { clients: [{ id: 'c1', secret: 's3cret' }] } };
const world = (backend?: ReturnType<SharedStore['backendFor']>) =>
  new World({ id: 'default', platforms: [acme], fixtures: ACME_FIXTURES, random: createRandom('contract'), backend });

worldLinkContract('memory (one process)', async () => {
  const w = world();
  return { a: w, b: w, close: done };
});
worldLinkContract('redis (two processes)', async () => {
  const p = await twoProcesses();
  const a = world(p.a.backendFor('default', true));
  const b = world(p.b.backendFor('default', true));
  await a.open();
  await b.open();
  return { a, b, close: p.close };
});

/** What only a store shared by several processes has to do: worlds that end elsewhere, settings written once. */
describe('shared store: what one process cannot show', () => {
  test("the first process to open a world writes its settings; a session's world ended elsewhere is gone for the others", async () => {
    const p = await twoProcesses();
    try {
      const a = world(p.a.backendFor('s1', false));
      const b = world(p.b.backendFor('s1', false));
      expect(await b.sync()).toBe(false);
      expect(await p.a.sessions.claim('s1', 1, 10)).toBe('created');
      expect(await a.open()).toBe(true);
      expect(await b.open()).toBe(false);
      await b.tokens.issuePair({ platform: 'acme', appId: 'c1', subject: 'someone' });
      expect(await b.sync()).toBe(true);
      expect(await p.b.sessions.release('s1')).toBe(true);
      // Its settings and its tokens went with it.
      expect(await a.sync()).toBe(false);
      expect(await a.tokens.count()).toBe(0);
    } finally {
      await p.close();
    }
  });
});
