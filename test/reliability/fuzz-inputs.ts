import fc from 'fast-check';

/**
 * Building blocks of malformed requests. A value is either a plain string, or a JSON-ish value kept
 * as its own JSON text (so `__proto__` keys, duplicate keys and absurd nesting survive to the wire).
 */
export type FuzzValue = { text: string } | { json: string };

/** Written into every generated string pool: an HTML answer must never show it unescaped. */
export const MARKUP = '"><fz-x>\'&';

const SPECIAL = [
  '',
  ' ',
  '%',
  '%zz',
  '%E4%B8',
  '%C0%AF',
  '%00',
  '%FF%FE',
  '\u0000',
  '\r\n',
  '\ud800',
  '\uffff',
  '\u2028',
  MARKUP,
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x1F',
  '__proto__',
  'constructor',
  'prototype',
  '{"a":1}',
  '[1,2]',
  'true',
  '=&=&',
  'javascript:alert(1)',
  'http://evil.invalid/\r\nSet-Cookie: x=1',
  '丰收互联',
];

export const specialString = fc.constantFrom(...SPECIAL);

/** Big enough to be "huge" for any field, small enough that a few thousand requests stay fast. */
export const hugeString = fc.oneof(
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'A'.repeat(n)),
  fc.integer({ min: 100_000, max: 400_000 }).map((n) => '9'.repeat(n)),
);

/**
 * fast-check's `unit: 'binary'` (any code point but a lone surrogate), drawn from the same integers in the same
 * order, so every seed gives the same strings. fast-check's own builds a map of all 1 112 064 code points the
 * first time a string() of it is made (about 1 s of CPU per test file, and tens of MiB that every full GC
 * of the heap-growth check walks); this one checks a value by arithmetic instead.
 */
const binaryUnit = fc.nat({ max: 0x10ffff - 0x800 }).map(
  (i) => String.fromCodePoint(i < 0xd800 ? i : i + 0x800),
  (v) => {
    const cp = typeof v === 'string' ? v.codePointAt(0) : undefined;
    if (cp === undefined || String.fromCodePoint(cp) !== v || (cp >= 0xd800 && cp <= 0xdfff)) throw new Error('not a single code point');
    return cp < 0xd800 ? cp : cp - 0x800;
  },
);

export const nastyString = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: binaryUnit, maxLength: 20 }) },
  { weight: 6, arbitrary: specialString },
  { weight: 1, arbitrary: hugeString },
);

/** Text of a JSON value nested `depth` deep, as arrays or objects. */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

export const deepJsonText = fc
  .tuple(fc.oneof(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 1_000, max: 200_000 })), fc.constantFrom('array' as const, 'object' as const))
  .map(([d, k]) => deepJson(d, k));

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** A JSON value's text: scalars of the wrong type, arrays where strings belong, objects, __proto__ keys, deep nesting. */
export const jsonValueText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: nastyString.map((s) => JSON.stringify(s)) },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 4 }).map((a) => `[${a.join(',')}]`) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 })), tie('value')), { maxLength: 4 })
        .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
    },
    { weight: 1, arbitrary: deepJsonText },
  ),
})).value;

/** `{"__proto__":{"polluted":"yes"}}` and friends, as text, to be parsed by the server. */
export const pollutingObject = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":[],"polluted":1}',
);

export function valueArbitrary(base: readonly string[] | undefined, secret: boolean, inner?: fc.Arbitrary<string>): fc.Arbitrary<FuzzValue> {
  const options: fc.WeightedArbitrary<FuzzValue>[] = [
    { weight: 5, arbitrary: nastyString.map((text) => ({ text })) },
    { weight: 2, arbitrary: jsonValueText.map((json) => ({ json })) },
    { weight: 1, arbitrary: pollutingObject.map((json) => ({ json })) },
  ];
  // Known-good values of non-secret fields let requests get past the first checks and reach the deeper ones.
  if (base?.length && !secret) options.push({ weight: 6, arbitrary: fc.constantFrom(...base).map((text) => ({ text })) });
  // A JSON document inside a string field (biz_content, bizContent), itself full of bad values.
  if (inner) options.push({ weight: 4, arbitrary: inner.map((text) => ({ text })) });
  return fc.oneof(...options);
}

export const CONTENT_TYPES = [
  undefined,
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=GBK',
  'application/x-www-form-urlencoded;charset=UTF-8',
  'application/json',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'text/plain',
  'text/html',
  'multipart/form-data; boundary=----fuzz',
  'application/xml',
  'application/octet-stream',
  '*/*',
  'garbage',
  ';;;',
  'application/json, application/x-www-form-urlencoded',
] as const;

export const CONTENT_ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'bogus', 'gzip, gzip'] as const;

/**
 * The form of one field on the wire: key=value with real escaping, or the raw text (invalid escapes stay invalid).
 * With `max`, only the first `max` characters are exact (see encodedPrefix).
 */
export function formPair(key: string, value: FuzzValue, raw: boolean, max = Infinity): string {
  const text = 'text' in value ? value.text : value.json;
  if (raw) return `${key}=${text.replace(/&/g, '%26')}`;
  const k = encodedPrefix(key, max);
  return `${k}=${encodedPrefix(text, max - k.length - 1)}`;
}

/**
 * encodeComponent(text) whole, or a prefix of it at least `max` characters long: where the rest would be cut
 * off anyway, encoding a 400 KB value cost more than the request that sends its head.
 */
export function encodedPrefix(text: string, max: number): string {
  if (text.length <= max) return encodeComponent(text);
  if (max <= 0) return '';
  // Every code unit encodes to one character or more; a surrogate pair cut in two would encode differently.
  const end = /[\ud800-\udbff]/.test(text[max - 1]) ? max + 1 : max;
  return encodeComponent(text.slice(0, end));
}

/** encodeURIComponent that survives lone surrogates (they go out as the raw %ED%A0%80 bytes a broken client sends). */
export function encodeComponent(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return Array.from(text, (ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        const c = ch.charCodeAt(0);
        return `%${(0xe0 | (c >> 12)).toString(16).toUpperCase()}%${(0x80 | ((c >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (c & 0x3f)).toString(16).toUpperCase()}`;
      }
    }).join('');
  }
}

export function jsonObjectText(pairs: readonly (readonly [string, FuzzValue])[]): string {
  return `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${'json' in v ? v.json : JSON.stringify(v.text)}`).join(',')}}`;
}
