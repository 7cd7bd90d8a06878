import { createRandom, type Random } from './random.js';

/**
 * The world's generator, counting how far it has drawn so that an export can record "seed S after
 * N draws" and a fresh sandbox can stand at the very same point: the next code or token it issues
 * is then the one the exported sandbox would have issued. Every draw of createRandom() is whole
 * 32-bit words: next() takes one, hex(b) ceil(b/4), uuid() four.
 */
export class ReplayableRandom implements Random {
  private inner: Random;
  private drawn = 0;

  constructor(seed?: string | number) {
    this.inner = createRandom(seed);
  }

  get seed(): string {
    return this.inner.seed;
  }

  /** Words drawn since the generator was (re)seeded. */
  get draws(): number {
    return this.drawn;
  }

  next(): number {
    this.drawn++;
    return this.inner.next();
  }

  hex(bytes = 16): string {
    this.drawn += Math.ceil(bytes / 4);
    return this.inner.hex(bytes);
  }

  uuid(): string {
    this.drawn += 4;
    return this.inner.uuid();
  }

  /** Start again from `seed`, skipping `draws` words. */
  reseed(seed: string, draws = 0): void {
    this.inner = createRandom(seed);
    for (let i = 0; i < draws; i++) this.inner.next();
    this.drawn = draws;
  }
}
