import { randomBytes } from 'node:crypto';

/**
 * Seedable generator for every value the sandbox issues (codes, tokens, ids, fault probabilities).
 * `--seed` makes a run repeatable.
 *
 * It is counter-based: word n of a seed's stream is a pure function of (seed, n), SplitMix64's
 * output for step n/2 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014; the finaliser of Java's SplittableRandom). So a generator can stand at any point of
 * its stream in O(1): an export's "seed S after N draws", or a fault rule that had counted N calls,
 * is restored by one jump however large N is, never by drawing N values (which once froze the
 * event loop for minutes on a hostile `draws`).
 */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** `bytes * 2` lower-case hex characters. */
  hex(bytes?: number): string;
  /** RFC 4122 version-4 UUID. */
  uuid(): string;
  readonly seed: string;
}

/** A generator that can jump: `skip(n)` moves n words ahead at once. */
export interface SeekableRandom extends Random {
  /** 32-bit words drawn so far (next() takes one, hex(b) ceil(b/4) per 64 bytes, uuid() four). */
  readonly position: number;
  /** Move `words` ahead, as if that many had been drawn: O(1). */
  skip(words: number): void;
}

const HEX = '0123456789abcdef';

// The golden-ratio increment and the two multipliers of SplitMix64, as 32-bit halves.
const G_HI = 0x9e3779b9,
  G_LO = 0x7f4a7c15;
const M1_HI = 0xbf58476d,
  M1_LO = 0x1ce4e5b9;
const M2_HI = 0x94d049bb,
  M2_LO = 0x133111eb;

/** High 32 bits of the 64-bit product of two unsigned 32-bit numbers, exactly (16-bit halves keep every term below 2^53). */
function mulhi(a: number, b: number): number {
  const a0 = a & 0xffff,
    a1 = a >>> 16,
    b0 = b & 0xffff,
    b1 = b >>> 16;
  const p01 = a0 * b1,
    p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

/** One SplitMix64 output for state (hi, lo), as two 32-bit words [lo, hi] (exported for the test against the reference vectors). */
export function mix(hi: number, lo: number, out: Uint32Array): void {
  // z = (z ^ (z >>> 30)) * M1
  let l = (lo ^ ((lo >>> 30) | (hi << 2))) >>> 0;
  let h = (hi ^ (hi >>> 30)) >>> 0;
  let nl = Math.imul(l, M1_LO) >>> 0;
  let nh = (mulhi(l, M1_LO) + Math.imul(h, M1_LO) + Math.imul(l, M1_HI)) >>> 0;
  // z = (z ^ (z >>> 27)) * M2
  l = (nl ^ ((nl >>> 27) | (nh << 5))) >>> 0;
  h = (nh ^ (nh >>> 27)) >>> 0;
  nl = Math.imul(l, M2_LO) >>> 0;
  nh = (mulhi(l, M2_LO) + Math.imul(h, M2_LO) + Math.imul(l, M2_HI)) >>> 0;
  // z ^ (z >>> 31)
  out[0] = (nl ^ ((nl >>> 31) | (nh << 1))) >>> 0;
  out[1] = (nh ^ (nh >>> 31)) >>> 0;
}

export function createRandom(seed?: string | number): SeekableRandom {
  const seedText = seed === undefined ? randomBytes(8).toString('hex') : String(seed);
  // Mix the seed text into 64 bits (cyrb128's mixing) so any string makes a good starting state.
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < seedText.length; i++) {
    const k = seedText.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  const seedHi = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
  const seedLo = (h2 ^ h1) >>> 0;

  let position = 0;
  let cachedStep = -1;
  const pair = new Uint32Array(2);

  /** Word n: the low then the high half of step floor(n/2)'s output, whose state is seed + (step + 1) × G mod 2^64. */
  const word = (): number => {
    const n = position++;
    const step = Math.floor(n / 2);
    if (step !== cachedStep) {
      const k = step + 1;
      const kHi = Math.floor(k / 4294967296) >>> 0,
        kLo = k >>> 0;
      // k × G mod 2^64, then + seed, in 32-bit halves with the carry.
      const pLo = Math.imul(kLo, G_LO) >>> 0;
      const pHi = (mulhi(kLo, G_LO) + Math.imul(kHi, G_LO) + Math.imul(kLo, G_HI)) >>> 0;
      const sLo = pLo + seedLo;
      const sHi = (pHi + seedHi + (sLo > 0xffffffff ? 1 : 0)) >>> 0;
      mix(sHi, sLo >>> 0, pair);
      cachedStep = step;
    }
    return pair[n & 1];
  };

  // Written into a buffer and encoded once: a string built by concatenation stays a rope of
  // one-character pieces in V8, ten times the memory of a flat string (1M tokens: 1.2 GB vs 0.5 GB).
  const scratch = Buffer.allocUnsafe(64);
  const hex = (bytes = 16): string => {
    const n = Math.min(bytes, 64);
    for (let i = 0; i < n; i += 4) scratch.writeUInt32LE(word(), i);
    const out = scratch.toString('hex', 0, n);
    return bytes > 64 ? out + hex(bytes - 64) : out;
  };

  return {
    seed: seedText,
    get position() {
      return position;
    },
    skip(words: number) {
      if (!Number.isSafeInteger(words) || words < 0 || !Number.isSafeInteger(position + words))
        throw new RangeError(`cannot skip ${words} draws: a whole number from 0 to ${Number.MAX_SAFE_INTEGER - position} is expected`);
      position += words;
    },
    next: () => word() / 4294967296,
    hex,
    uuid: () => {
      const h = hex(16);
      const variant = HEX[8 + (parseInt(h[16], 16) & 3)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}
