import type { Journal, JournalEntry } from '../../src/core/journal.js';

/** Two handles on one sandbox's journal (in memory the same journal twice; in Redis two processes' SharedJournals). */
export interface JournalHandles {
  a: Journal;
  b: Journal;
  /** The cap both were made with. */
  cap: number;
  close(): Promise<void>;
}

const entry = (n: number, over: Partial<JournalEntry> = {}): Omit<JournalEntry, 'id'> => ({
  time: 1_000 + n,
  session: 'default',
  platform: 'acme',
  endpoint: 'token',
  matched: true,
  method: 'POST',
  path: '/acme/token',
  status: 200,
  durationMs: 1,
  request: { query: {}, body: { n } },
  response: { body: { ok: true } },
  ...over,
});

/** What every journal must do, wherever the entries are kept. */
export function journalContract(name: string, open: () => Promise<JournalHandles>): void {
  describe(`Journal contract: ${name}`, () => {
    let h: JournalHandles;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    test('entries get increasing ids, and every handle lists every entry, newest first', async () => {
      const first = await h.a.record(entry(1));
      const second = await h.b.record(entry(2));
      expect(second.id).toBeGreaterThan(first.id);
      for (const j of [h.a, h.b]) expect((await j.listAll()).map((e) => e.request.body)).toEqual([{ n: 2 }, { n: 1 }]);
      expect((await h.a.listAll())[0]).toEqual(second);
    });

    test('filters: platform, endpoint, business method, status, session, limit', async () => {
      await h.a.record(entry(1, { platform: 'mantun', endpoint: 'token.as' }));
      await h.b.record(entry(2, { endpoint: 'me', status: 418 }));
      await h.a.record(entry(3, { apiMethod: 'rotate', session: 's1' }));
      const ns = async (f: Parameters<Journal['listAll']>[0]) => (await h.b.listAll(f)).map((e) => (e.request.body as { n: number }).n);
      expect(await ns({ platform: 'acme' })).toEqual([3, 2]);
      expect(await ns({ endpoint: 'me' })).toEqual([2]);
      expect(await ns({ method: 'rotate' })).toEqual([3]);
      expect(await ns({ status: 418 })).toEqual([2]);
      expect(await ns({ session: 's1' })).toEqual([3]);
      expect(await ns({ limit: 2 })).toEqual([3, 2]);
    });

    test('a request no endpoint matched keeps its hint and how it arrived, and `matched: false` finds it', async () => {
      await h.a.record(entry(1));
      const arrival = {
        headers: { 'user-agent': 'okhttp/4.12.0', authorization: 'Bearer ***' },
        rawQuery: 'a=1&b=2',
        bodySize: 17,
        contentType: 'application/x-www-form-urlencoded',
      };
      const miss = await h.b.record(
        entry(2, {
          matched: false,
          platform: '',
          endpoint: '',
          status: 404,
          hint: 'no endpoint at /oauth/tokn.as: did you mean POST /oauth/token.as (mantun token.as)?',
          request: { query: { a: '1' }, body: 'x=1', ...arrival },
        }),
      );
      for (const j of [h.a, h.b]) {
        const listed = await j.listAll({ matched: false });
        expect(listed).toEqual([miss]);
        expect(listed[0]).toMatchObject({ matched: false, endpoint: '', platform: '', hint: miss.hint, request: arrival });
        expect((await j.listAll({ matched: true })).map((e) => (e.request.body as { n: number }).n)).toEqual([1]);
      }
    });

    test('bounded: past the cap the oldest entries go', async () => {
      for (let n = 1; n <= h.cap + 3; n++) await (n % 2 ? h.a : h.b).record(entry(n));
      const listed = await h.a.listAll();
      expect(listed).toHaveLength(h.cap);
      expect((listed[0].request.body as { n: number }).n).toBe(h.cap + 3);
      expect((listed[h.cap - 1].request.body as { n: number }).n).toBe(4);
    });

    test('clearAll empties it for every handle', async () => {
      await h.a.record(entry(1));
      await h.b.clearAll();
      expect(await h.a.listAll()).toEqual([]);
      expect(await h.b.listAll()).toEqual([]);
    });
  });
}
