import { MASK, maskSecrets } from '../../src/core/journal.js';

describe('maskSecrets: the journal copy of params and bodies', () => {
  test('secret-named fields are masked, tokens and other fields kept, the input untouched', () => {
    const input = { client_id: 'O1', client_secret: 'abc', passwd: 'p', access_token: 'tok', nested: { privateKey: 'k', ok: 1 } };
    expect(maskSecrets(input)).toEqual({ client_id: 'O1', client_secret: MASK, passwd: MASK, access_token: 'tok', nested: { privateKey: MASK, ok: 1 } });
    expect(input.client_secret).toBe('abc');
  });

  test('a "__proto__" key stays a plain field of the copy and does not set its prototype', () => {
    const input = JSON.parse('{"__proto__":{"polluted":"yes"},"a":"b"}') as Record<string, unknown>;
    const out = maskSecrets(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('wide objects are summarised, the same field name gives the same verdict every time', () => {
    const wide = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, 'v']));
    const out = maskSecrets(wide) as Record<string, unknown>;
    expect(Object.keys(out)).toHaveLength(65);
    expect(out['…']).toBe('6 more fields');
    for (let i = 0; i < 3; i++)
      expect(maskSecrets({ sign: 'S', Sign: 'S', ' clientSign ': 'S', signal: 'x' })).toEqual({ sign: MASK, Sign: MASK, ' clientSign ': MASK, signal: 'x' });
  });
});
