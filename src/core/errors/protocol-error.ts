/**
 * Errors as data. A platform refuses a request by throwing a ProtocolError that names a kind of its
 * catalogue (and the values its message needs); the dispatcher catches it and the platform's one
 * renderer turns it into the platform's own answer. Fault rules that ask for a kind go through the
 * same renderer, so an injected error and a real one cannot differ.
 */
export class ProtocolError extends Error {
  /** Why, for the person reading the journal and the log (never on the wire): "timestamp 8 h behind: client time zone?" */
  note?: string;

  constructor(
    readonly kind: string,
    readonly vars: Readonly<Record<string, string>> = {},
  ) {
    super(vars.detail ? `${kind}: ${vars.detail}` : kind);
    this.name = 'ProtocolError';
  }
}

/** `throw refuse('invalid_sign')`, `throw refuse('unknown_client', appKey)`. */
export function refuse(kind: string, detail?: string, vars: Record<string, string> = {}): ProtocolError {
  return new ProtocolError(kind, detail === undefined ? vars : { ...vars, detail });
}

/** The same, with a note for the journal and the log. */
export function refuseWithNote(kind: string, note: string | undefined, detail?: string): ProtocolError {
  const error = refuse(kind, detail);
  if (note !== undefined) error.note = note;
  return error;
}

/** Kinds every platform answers in its own shape, raised by the core rather than by an endpoint. */
export const BODY_TOO_LARGE = 'body_too_large';
export const UNREADABLE_BODY = 'unreadable_body';
/** The shared store (Redis) did not answer: the platform's own "system busy" answer. */
export const SERVICE_UNAVAILABLE = 'service_unavailable';

export interface Catalogue<K extends string, E extends object> {
  readonly entries: Readonly<Record<K, E>>;
  readonly kinds: readonly K[];
  has(kind: string): kind is K;
  /** The entry with a fixture's override laid over it and `{placeholders}` in its texts filled in. */
  resolve(kind: K, overrides: Partial<Record<K, Partial<E>>> | undefined, vars?: Readonly<Record<string, string>>): E;
}

/**
 * One platform's catalogue: kind → entry (status, body fields, message texts). `placeholders` are
 * the `{name}`s its texts may hold; a missing value reads as empty, so a text never leaks `{detail}`.
 */
export function defineCatalogue<K extends string, E extends object>(entries: Record<K, E>, placeholders: readonly string[] = ['detail']): Catalogue<K, E> {
  const kinds = Object.keys(entries) as K[];
  const fill = (text: string, vars: Readonly<Record<string, string>>): string => {
    let out = text;
    for (const name of placeholders) if (out.includes(`{${name}}`)) out = out.replace(`{${name}}`, vars[name] ?? '');
    return out;
  };
  return {
    entries,
    kinds,
    has: (kind: string): kind is K => Object.hasOwn(entries, kind),
    resolve(kind, overrides, vars = {}) {
      // Kinds come from code and from validated fault rules: an unknown one is a bug of ours.
      if (!Object.hasOwn(entries, kind)) throw new Error(`internal error: no error kind "${kind}" in this catalogue`);
      const merged: Record<string, unknown> = { ...(entries[kind] as object), ...(overrides?.[kind] ?? {}) };
      for (const [k, v] of Object.entries(merged)) if (typeof v === 'string') merged[k] = fill(v, vars);
      return merged as unknown as E;
    },
  };
}
