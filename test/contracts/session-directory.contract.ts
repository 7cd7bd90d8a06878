import type { SessionDirectory } from '../../src/core/sessions/registry.js';

/** Two handles on one sandbox's sessions (in memory the same directory twice; in Redis two connections). */
export interface SessionHandles {
  a: SessionDirectory;
  b: SessionDirectory;
  close(): Promise<void>;
}

/** What every SessionDirectory must do, whatever keeps the sessions. */
export function sessionDirectoryContract(name: string, open: () => Promise<SessionHandles>): void {
  describe(`SessionDirectory contract: ${name}`, () => {
    let h: SessionHandles;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    test('a claimed id is created once, then taken for every handle; its creation time is kept', async () => {
      expect(await h.a.claim('s1', 1_000, 10)).toBe('created');
      expect(await h.b.claim('s1', 2_000, 10)).toBe('taken');
      expect(await h.a.claim('s1', 3_000, 10)).toBe('taken');
      expect(await h.b.createdAt('s1')).toBe(1_000);
      expect(await h.b.createdAt('nope')).toBeUndefined();
    });

    test('the cap counts the sessions of every handle', async () => {
      expect(await h.a.claim('s1', 1, 2)).toBe('created');
      expect(await h.b.claim('s2', 2, 2)).toBe('created');
      expect(await h.a.claim('s3', 3, 2)).toBe('full');
      expect(await h.b.claim('s3', 3, 2)).toBe('full');
    });

    test('list gives every session with its creation time, oldest first', async () => {
      await h.a.claim('first', 10, 10);
      await h.b.claim('second', 20, 10);
      await h.a.claim('third', 30, 10);
      expect(await h.b.list()).toEqual([
        { id: 'first', createdAt: 10 },
        { id: 'second', createdAt: 20 },
        { id: 'third', createdAt: 30 },
      ]);
    });

    test('release ends a session once: it is gone for every handle, and its id can be claimed again', async () => {
      await h.a.claim('s1', 1, 10);
      expect(await h.b.release('s1', undefined)).toBe(true);
      expect(await h.a.release('s1', undefined)).toBe(false);
      expect(await h.a.createdAt('s1')).toBeUndefined();
      expect(await h.a.list()).toEqual([]);
      expect(await h.a.claim('s1', 5, 10)).toBe('created');
    });

    test('of 20 concurrent claims of one id, through both handles, exactly one creates it', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? h.a : h.b).claim('race', i, 100)));
      expect(results.filter((r) => r === 'created')).toHaveLength(1);
      expect(results.filter((r) => r === 'taken')).toHaveLength(19);
    });

    test('of 20 concurrent claims of new ids against a cap of 5, exactly 5 are created', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? h.a : h.b).claim(`s${i}`, i, 5)));
      expect(results.filter((r) => r === 'created')).toHaveLength(5);
      expect(await h.a.list()).toHaveLength(5);
    });
  });
}
