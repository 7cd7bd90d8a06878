import fc from 'fast-check';
import type { WireRequest } from './fuzz-http.js';
import {
  CONTENT_ENCODINGS,
  CONTENT_TYPES,
  deepJsonText,
  formPair,
  jsonObjectText,
  jsonValueText,
  nastyString,
  pollutingObject,
  valueArbitrary,
  type FuzzValue,
} from './fuzz-inputs.js';

/** Where a fuzzed request goes: one endpoint under one of the prefixes it answers to. */
export interface Target {
  /** Platform id, or 'control' for the control plane. */
  owner: string;
  /** Endpoint name (or the route pattern on the control plane). */
  name: string;
  method: string;
  path: string;
}

/** The fields a platform reads: known-good values for non-secret ones, secrets always fuzzed. */
export interface FieldBook {
  fields: Record<string, readonly string[]>;
  secrets: readonly string[];
  /** Fields holding a JSON document of their own (biz_content), with that document's fields. */
  nested?: Record<string, FieldBook>;
}

export type BodyKind = 'form' | 'form-raw' | 'json' | 'json-truncated' | 'json-not-object' | 'deep' | 'bytes' | 'latin1' | 'none' | 'xml' | 'polluting';

export interface Generated {
  target: Target;
  kind: BodyKind;
  request: WireRequest;
}

function fieldPairs(book: FieldBook, maxLength = 12): fc.Arbitrary<[string, FuzzValue][]> {
  const names = [...Object.keys(book.fields), ...book.secrets];
  const inner = (name: string) => {
    const nested = book.nested?.[name];
    return nested ? fieldPairs(nested, 8).map((pairs) => jsonObjectText(pairs)) : undefined;
  };
  const known = fc
    .constantFrom(...names)
    .chain((name) => valueArbitrary(book.fields[name], book.secrets.includes(name), inner(name)).map((v): [string, FuzzValue] => [name, v]));
  const strange = fc
    .tuple(
      fc.oneof(
        nastyString.filter((s) => s.length < 64),
        fc.constantFrom('__proto__', 'constructor', 'prototype'),
      ),
      valueArbitrary(undefined, false),
    )
    .map(([k, v]): [string, FuzzValue] => [k, v]);
  // Duplicates come for free: the same name may be drawn twice with different values.
  return fc.array(fc.oneof({ weight: 5, arbitrary: known }, { weight: 1, arbitrary: strange }), { maxLength });
}

const RAW_QUERY = ['a=%', 'b=%zz', 'c=%E4%B8', 'd=%C0%AF', '%%=%%', 'e=%FF', 'client_id=%&client_id=x', '&&==&'] as const;

/** The first `limit` characters of the query string of `pairs` and the `raw` tail. */
function queryString(pairs: readonly [string, FuzzValue][], raw: string | null, limit: number): string {
  // Characters that would break the request line cannot be sent by any client; they go percent-encoded.
  // Encoding stops at the limit: what lies past it is never sent.
  let text = '';
  for (let i = 0; i < pairs.length && text.length < limit; i++) {
    if (i) text += '&';
    text += formPair(pairs[i][0], pairs[i][1], false, limit - text.length);
  }
  if (raw !== null) text = `${text}${text ? '&' : ''}${raw}`;
  return text.slice(0, limit);
}

function bodyArbitrary(book: FieldBook): fc.Arbitrary<{ kind: BodyKind; body?: Buffer; type?: string }> {
  const pairs = fieldPairs(book);
  return fc.oneof(
    pairs.map((p) => ({
      kind: 'form' as const,
      body: Buffer.from(p.map(([k, v]) => formPair(k, v, false)).join('&')),
      type: 'application/x-www-form-urlencoded',
    })),
    pairs.map((p) => ({
      kind: 'form-raw' as const,
      body: Buffer.from(p.map(([k, v]) => formPair(k, v, true)).join('&')),
      type: 'application/x-www-form-urlencoded',
    })),
    pairs.map((p) => ({ kind: 'json' as const, body: Buffer.from(jsonObjectText(p)), type: 'application/json' })),
    fc.tuple(pairs, fc.double({ min: 0, max: 1, noNaN: true })).map(([p, cut]) => {
      const text = jsonObjectText(p);
      return { kind: 'json-truncated' as const, body: Buffer.from(text.slice(0, Math.floor(text.length * cut))), type: 'application/json' };
    }),
    jsonValueText.filter((t) => !t.startsWith('{')).map((t) => ({ kind: 'json-not-object' as const, body: Buffer.from(t), type: 'application/json' })),
    deepJsonText.map((t) => ({ kind: 'deep' as const, body: Buffer.from(t), type: 'application/json' })),
    fc.uint8Array({ maxLength: 2048 }).map((b) => ({ kind: 'bytes' as const, body: Buffer.from(b) })),
    pairs.map((p) => ({
      kind: 'latin1' as const,
      body: Buffer.from(p.map(([k, v]) => `${k}=${'text' in v ? v.text : v.json}`).join('&'), 'latin1'),
      type: 'application/x-www-form-urlencoded',
    })),
    fc.constant({ kind: 'none' as const }),
    pairs.map((p) => ({
      kind: 'xml' as const,
      body: Buffer.from(`<?xml version="1.0"?><req>${p.map(([k]) => `<${k.replace(/[^a-z]/gi, 'x') || 'x'}>&xxe;</x>`).join('')}`),
      type: 'application/xml',
    })),
    pollutingObject.map((t) => ({ kind: 'polluting' as const, body: Buffer.from(t), type: 'application/json' })),
  );
}

/**
 * A malformed request to one of `targets`: its body and query built from the platform's own fields
 * with wrong types, huge values, bad escapes and duplicates, under a Content-Type that may or may not
 * match the body, sometimes with a Content-Encoding the body does not have.
 */
export function requestArbitrary(targets: readonly Target[], books: Record<string, FieldBook>): fc.Arbitrary<Generated> {
  // Each endpoint is drawn equally often, whatever the number of prefixes it answers under.
  const groups = new Map<string, Target[]>();
  for (const t of targets) {
    const key = `${t.owner} ${t.method} ${t.name}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return fc
    .constantFrom(...groups.values())
    .chain((group) => fc.constantFrom(...group))
    .chain((target) => {
      const book = books[target.owner];
      return fc
        .record({
          body: bodyArbitrary(book),
          query: fc.tuple(fieldPairs(book, target.method === 'GET' ? 12 : 4), fc.option(fc.constantFrom(...RAW_QUERY), { freq: 4 })),
          typeChoice: fc.oneof({ weight: 3, arbitrary: fc.constant('match' as const) }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
          encoding: fc.option(fc.constantFrom(...CONTENT_ENCODINGS), { freq: 12 }),
          duplicateType: fc.boolean(),
        })
        .map(({ body, query: [queryPairs, rawQuery], typeChoice, encoding, duplicateType }): Generated => {
          const headers: Record<string, string | string[]> = {};
          const type = typeChoice === 'match' ? body.type : typeChoice;
          if (type !== undefined) headers['content-type'] = duplicateType ? [type, 'text/plain'] : type;
          if (encoding) headers['content-encoding'] = encoding;
          const method = target.method === '*' ? 'POST' : target.method;
          // Node refuses request heads over 16 KiB with a bare 431 before any route runs (docs/reliability.md); huge values go in bodies.
          const qs = queryString(queryPairs, rawQuery, 8000);
          const sendsBody = method !== 'GET' && method !== 'HEAD';
          const g: Generated = {
            target,
            kind: body.kind,
            request: { method, path: `${target.path}${qs ? `?${qs}` : ''}`, headers, body: sendsBody ? body.body : undefined },
          };
          // fast-check prints a counterexample with this instead of the whole (possibly megabyte) body.
          return Object.assign(g, { [fc.toStringMethod]: () => describe(g) });
        });
    });
}

/** A short description of a request for failure messages (bodies can be megabytes). */
export function describe(g: Generated): string {
  const body = g.request.body;
  const shown = body ? `${body.subarray(0, 300).toString('latin1')}${body.length > 300 ? `… (${body.length} bytes)` : ''}` : '(no body)';
  return `${g.target.owner}/${g.target.name} [${g.kind}] ${g.request.method} ${g.request.path.slice(0, 300)} headers=${JSON.stringify(g.request.headers)} body=${shown}`;
}
