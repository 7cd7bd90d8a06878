import { createRandom, type Random, type SeekableRandom } from './seeded-random.js';

/**
 * The world's generator, counting how far it has drawn so that an export can record "seed S after
 * N draws" and a fresh sandbox can stand at the very same point: the next code or token it issues
 * is then the one the exported sandbox would have issued. Every draw of createRandom() is whole
 * 32-bit words: next() takes one, hex(b) ceil(b/4), uuid() four. Standing at draw N is one jump,
 * whatever N is (createRandom is counter-based).
 */
export class ReplayableRandom implements Random {
  private inner: SeekableRandom;

  constructor(seed?: string | number) {
    this.inner = createRandom(seed);
  }

  get seed(): string {
    return this.inner.seed;
  }

  /** Words drawn since the generator was (re)seeded. */
  get draws(): number {
    return this.inner.position;
  }

  next(): number {
    return this.inner.next();
  }

  hex(bytes = 16): string {
    return this.inner.hex(bytes);
  }

  uuid(): string {
    return this.inner.uuid();
  }

  /** Start again from `seed`, `draws` words in: O(1). */
  reseed(seed: string, draws = 0): void {
    const inner = createRandom(seed);
    inner.skip(draws);
    this.inner = inner;
  }
}
