import { createRandom, mix } from '../../src/core/random/seeded-random.js';
import { ReplayableRandom } from '../../src/core/random/replayable-random.js';

/**
 * The generator behind every code and token is SplitMix64 as a counter-based stream, so standing at
 * any draw is one jump (review finding H3: replaying a position drew every value before it).
 */

const M64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;

/** SplitMix64 as published (Steele, Lea and Flood 2014), in BigInt: the reference the 32-bit version must match. */
function reference(state: bigint): bigint {
  let z = state & M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

const ours = (state: bigint): bigint => {
  const out = new Uint32Array(2);
  mix(Number(state >> 32n), Number(state & 0xffffffffn), out);
  return (BigInt(out[1]) << 32n) | BigInt(out[0]);
};

test('the 32-bit arithmetic gives SplitMix64 exactly: the published first outputs for seed 0, and states across the 64-bit range', () => {
  expect([1n, 2n, 3n].map((k) => ours((k * GOLDEN) & M64).toString(16))).toEqual(['e220a8397b1dcdaf', '6e789e6aa1b965f4', '6c45d188009454f']);
  for (const state of [0n, 1n, 0xffffffffn, 0x100000000n, M64, 0x8000000000000000n, 0x0123456789abcdefn, 0xfedcba9876543210n])
    expect(ours(state)).toBe(reference(state));
  let s = 0x243f6a8885a308d3n;
  for (let i = 0; i < 2000; i++) {
    s = (s * 6364136223846793005n + 1442695040888963407n) & M64;
    expect(ours(s)).toBe(reference(s));
  }
});

test('skip(n) stands exactly where n draws would, whatever mix of draws came first', () => {
  const walked = createRandom('jump');
  const seen: number[] = [];
  for (let i = 0; i < 3000; i++) seen.push(walked.next());
  for (const n of [0, 1, 2, 3, 7, 64, 999, 1000, 2999]) {
    const jumped = createRandom('jump');
    jumped.skip(n);
    expect([n, jumped.next()]).toEqual([n, seen[n]]);
  }
  const mixed = createRandom('jump');
  mixed.hex(16);
  mixed.uuid();
  mixed.hex(3);
  mixed.hex(100);
  const at = mixed.position;
  expect(at).toBe(4 + 4 + 1 + 25);
  const jumped = createRandom('jump');
  jumped.skip(at);
  expect(jumped.hex(16)).toBe(mixed.hex(16));
});

/** The finaliser is a bijection: undo it to read a generator's 64-bit state off its first output. */
function inverseMul(a: bigint): bigint {
  let x = a; // Newton: each step doubles the correct low bits of a^-1 mod 2^64.
  for (let i = 0; i < 6; i++) x = (x * (2n - a * x)) & M64;
  return x;
}
function unshift(z: bigint, s: bigint): bigint {
  let x = z;
  for (let i = 0; i < 64; i++) x = z ^ (x >> s);
  return x;
}
function unmix(z: bigint): bigint {
  let x = unshift(z, 31n);
  x = (x * inverseMul(0x94d049bb133111ebn)) & M64;
  x = unshift(x, 27n);
  x = (x * inverseMul(0xbf58476d1ce4e5b9n)) & M64;
  return unshift(x, 30n);
}
const word = (r: ReturnType<typeof createRandom>): bigint => BigInt(Math.floor(r.next() * 2 ** 32));

test('far positions are one jump: word n is the low or high half of the reference output at state seed + (n/2 + 1) x golden', () => {
  const first = createRandom('far');
  const out0 = word(first) | (word(first) << 32n);
  const seed = (unmix(out0) - GOLDEN) & M64;
  expect(reference((seed + GOLDEN) & M64)).toBe(out0);
  for (const n of [2, 3, 1e6 + 1, 1e12, 1e15 + 1, Number.MAX_SAFE_INTEGER - 1]) {
    const r = createRandom('far');
    r.skip(n);
    const expected = reference((seed + (BigInt(Math.floor(n / 2)) + 1n) * GOLDEN) & M64);
    expect([n, word(r)]).toEqual([n, n % 2 === 0 ? expected & 0xffffffffn : expected >> 32n]);
    expect(r.position).toBe(n + 1);
  }
  expect(() => createRandom('far').skip(2 ** 53)).toThrow('cannot skip 9007199254740992 draws');
  expect(() => createRandom('far').skip(-1)).toThrow('cannot skip -1 draws');
});

test('ReplayableRandom.reseed(seed, 1e15) counts from there, and --seed runs repeat', () => {
  const a = new ReplayableRandom('s');
  a.reseed('x', 1e15);
  expect(a.draws).toBe(1e15);
  const token = a.hex(16);
  expect(a.draws).toBe(1e15 + 4);
  const b = new ReplayableRandom('other');
  b.reseed('x', 1e15);
  expect(b.hex(16)).toBe(token);
  expect(new ReplayableRandom('seed').uuid()).toBe(new ReplayableRandom('seed').uuid());
  expect(new ReplayableRandom('seed').hex()).not.toBe(new ReplayableRandom('seed2').hex());
});
