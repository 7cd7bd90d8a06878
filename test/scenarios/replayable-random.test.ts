import { createRandom } from '../../src/core/random/seeded-random.js';
import { ReplayableRandom } from '../../src/core/random/replayable-random.js';

describe('ReplayableRandom: a generator that an export can stand again at the same point', () => {
  test('reseed(seed, draws) continues exactly where the original stands, whatever mix of draws came before', () => {
    const original = new ReplayableRandom('ticket');
    const seen = [original.hex(16), original.uuid(), original.next(), original.hex(8), original.hex(3), original.hex(100)];
    expect(seen).toHaveLength(6);
    const copy = new ReplayableRandom('other');
    copy.reseed(original.seed, original.draws);
    expect(copy.draws).toBe(original.draws);
    expect([copy.hex(16), copy.uuid(), copy.next(), copy.hex(8)]).toEqual([original.hex(16), original.uuid(), original.next(), original.hex(8)]);
  });

  test('the values are those of the plain generator with the same seed, and draws count its words', () => {
    const a = new ReplayableRandom('s');
    const plain = createRandom('s');
    expect([a.hex(16), a.uuid(), a.next()]).toEqual([plain.hex(16), plain.uuid(), plain.next()]);
    expect(a.draws).toBe(9);
  });
});
