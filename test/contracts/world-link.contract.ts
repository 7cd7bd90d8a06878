import type { Exchange } from '../../src/core/http/exchange.js';
import type { FaultRule } from '../../src/core/scenarios/schema.js';
import type { World } from '../../src/core/world.js';

/**
 * Two handles on one world: in memory the same World twice (one process); on Redis two World objects
 * over two connections, linked by a RedisWorldLink each, as two processes of one deployment are. What
 * one handle does, the other sees after its next sync (the dispatcher syncs before every request).
 */
export interface WorldHandles {
  a: World;
  b: World;
  close(): Promise<void>;
}

const armed = (world: World, rule: FaultRule) => world.scenarios.arm(rule, (r, id) => ({ name: `fault:${id}`, source: 'runtime', scenario: { faults: [r] } }));

/** A call of the platform's first endpoint, as the fault interceptor sees it. */
function call(world: World): Exchange {
  const platform = [...world.platforms.values()][0];
  return { world, platform, endpoint: platform.endpoints[0], request: {} as Exchange['request'], params: {} };
}

const decide = async (world: World): Promise<boolean> => {
  await world.sync();
  return (await world.scenarios.decide(call(world))) !== undefined;
};

/** What a world shared by several handles must do: one clock, one set of active rules, one count of each rule. */
export function worldLinkContract(name: string, open: () => Promise<WorldHandles>): void {
  describe(`WorldLink contract: ${name}`, () => {
    let h: WorldHandles;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    test('a clock moved through one handle is the clock of the other', async () => {
      const before = h.b.clock.now();
      h.a.moveClock({ advance: 3_600_000 });
      await h.a.flush();
      expect(await h.b.sync()).toBe(true);
      expect(h.b.clock.now() - before).toBeGreaterThanOrEqual(3_600_000);
      expect(Math.abs(h.b.clock.now() - h.a.clock.now())).toBeLessThan(1_000);
      h.b.moveClock({ reset: true });
      await h.b.flush();
      await h.a.sync();
      expect(Math.abs(h.a.clock.now() - Date.now())).toBeLessThan(1_000);
    });

    test('a fault rule armed through one handle is active through the other, and disarmed through it', async () => {
      armed(h.a, { id: 'shared-rule', respond: { status: 503 } });
      await h.a.flush();
      await h.b.sync();
      expect(h.b.scenarios.rules.map((r) => r.label)).toEqual(['shared-rule']);
      expect(h.b.scenarios.disarm('shared-rule')).toBe(1);
      await h.b.flush();
      await h.a.sync();
      expect(h.a.scenarios.rules).toEqual([]);
    });

    test('nth: 3 fires once, on the third call, whichever handle each call goes through', async () => {
      armed(h.a, { id: 'third', nth: 3, respond: { status: 503 } });
      await h.a.flush();
      const fired: boolean[] = [];
      for (let i = 0; i < 6; i++) fired.push(await decide(i % 2 ? h.b : h.a));
      expect(fired).toEqual([false, false, true, false, false, false]);
      for (const w of [h.a, h.b]) {
        await w.scenarios.syncCounters();
        expect(w.scenarios.view().faults.map((f) => [f.id, f.calls, f.fired])).toEqual([['third', 6, 1]]);
      }
    });

    test('times: 2 fires exactly twice among 20 concurrent calls through both handles', async () => {
      armed(h.a, { id: 'twice', times: 2, respond: { status: 503 } });
      await h.a.flush();
      await h.b.sync();
      const fired = await Promise.all(Array.from({ length: 20 }, (_, i) => decide(i % 2 ? h.b : h.a)));
      expect(fired.filter(Boolean)).toHaveLength(2);
    });

    test('tokens issued through one handle are checked through the other, and a reset reaches both', async () => {
      const pair = await h.a.tokens.issuePair({ platform: 'acme', appId: 'c1', subject: 'someone' });
      expect((await h.b.tokens.checkAccess('acme', pair.access.value)).ok).toBe(true);
      await h.b.updateState('acme', (s: { hits: number }) => (s.hits = 3));
      expect(await h.a.readState('acme')).toEqual({ hits: 3 });
      await h.a.reset();
      expect(await h.b.tokens.checkAccess('acme', pair.access.value)).toEqual({ ok: false, reason: 'unknown' });
      expect(await h.b.readState('acme')).toEqual({ hits: 0 });
    });
  });
}
