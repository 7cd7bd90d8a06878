import type { StateBackend } from '../../src/core/state/state-backend.js';

/** Two handles on one world's platform data (in memory the same object twice; in Redis two connections). */
export interface StateHandles {
  a: StateBackend;
  b: StateBackend;
  close(): Promise<void>;
}

/** The fixtures' initial data every handle starts from. */
export const INITIAL = (): Record<string, unknown> => ({ acme: { hits: 0, devices: {} }, other: { codes: [] } });

type Acme = { hits: number; devices: Record<string, string> };

/** What every StateBackend must do, whatever keeps the data. */
export function stateBackendContract(name: string, open: () => Promise<StateHandles>): void {
  describe(`StateBackend contract: ${name}`, () => {
    let h: StateHandles;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    test('a platform reads as the fixtures made it until something changes it', async () => {
      expect(await h.a.read('acme')).toEqual({ hits: 0, devices: {} });
      expect(await h.b.all()).toEqual(INITIAL());
    });

    test("update applies a change, returns the change's result, and every handle reads the result", async () => {
      const result = await h.a.update('acme', (s) => {
        const state = s as Acme;
        state.hits += 1;
        state.devices.d1 = 'on';
        return state.hits * 10;
      });
      expect(result).toBe(10);
      expect(await h.b.read('acme')).toEqual({ hits: 1, devices: { d1: 'on' } });
      expect(await h.b.read('other')).toEqual({ codes: [] });
    });

    test('concurrent changes through both handles all apply: none is lost', async () => {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? h.a : h.b).update('acme', (s) => {
            (s as Acme).hits += 1;
          }),
        ),
      );
      expect(((await h.a.read('acme')) as Acme).hits).toBe(30);
    });

    test('load lays data over the current one, platform by platform', async () => {
      await h.a.update('other', (s) => {
        (s as { codes: string[] }).codes.push('c');
      });
      await h.a.load({ acme: { hits: 7, devices: {} } });
      expect(await h.b.all()).toEqual({ acme: { hits: 7, devices: {} }, other: { codes: ['c'] } });
    });

    test('replace puts back exactly what it is given (a reset to the initial data)', async () => {
      await h.a.update('acme', (s) => {
        (s as Acme).hits = 5;
      });
      await h.b.replace(INITIAL());
      expect(await h.a.all()).toEqual(INITIAL());
      expect(await h.a.read('acme')).toEqual({ hits: 0, devices: {} });
    });
  });
}
