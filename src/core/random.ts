import { randomBytes } from 'node:crypto';

/**
 * Seedable generator for every value the sandbox issues (codes, tokens, ids, fault probabilities).
 * sfc32: small, fast and good enough for identifiers; `--seed` makes a run repeatable.
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

const HEX = '0123456789abcdef';

export function createRandom(seed?: string | number): Random {
  const seedText = seed === undefined ? randomBytes(8).toString('hex') : String(seed);
  // Mix the seed text into four 32-bit words (cyrb128) so any string makes a good sfc32 state.
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
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
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0, b = (h2 ^ h1) >>> 0, c = (h3 ^ h1) >>> 0, d = (h4 ^ h1) >>> 0;

  const word = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) word();

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
    next: () => word() / 4294967296,
    hex,
    uuid: () => {
      const h = hex(16);
      const variant = HEX[8 + (parseInt(h[16], 16) & 3)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}
