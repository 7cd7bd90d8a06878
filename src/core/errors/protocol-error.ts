/**
 * Errors as data. A platform refuses a request by throwing a ProtocolError that names a kind of its
 * catalogue (and the values its message needs); the dispatcher catches it and the platform's one
 * renderer turns it into the platform's own answer. Fault rules that ask for a kind throw it into the
 * same renderer, so an injected error and a real one cannot differ.
 */
export class ProtocolError<K extends string = string> extends Error {
  /** Why, for the person reading the journal and the log (never on the wire): "timestamp 8 h behind: client time zone?" */
  note?: string;
  /** Set when a fault rule raised it: the rule's label and the delay it asks for, which the rendered answer carries. */
  fault?: { rule: string; delayMs?: number };

  constructor(
    readonly kind: K,
    readonly vars: Readonly<Record<string, string>> = {},
  ) {
    super(vars.detail ? `${kind}: ${vars.detail}` : kind);
    this.name = 'ProtocolError';
  }
}

/** Kinds every platform answers in its own shape, raised by the core rather than by an endpoint. */
export const BODY_TOO_LARGE = 'body_too_large';
export const UNREADABLE_BODY = 'unreadable_body';
/** The shared store (Redis) did not answer, or the sandbox failed: the platform's own "system busy" answer. */
export const SERVICE_UNAVAILABLE = 'service_unavailable';
export const CORE_KINDS = [BODY_TOO_LARGE, UNREADABLE_BODY, SERVICE_UNAVAILABLE] as const;
/** What every platform's catalogue must render besides its own kinds. */
export type CoreKind = (typeof CORE_KINDS)[number];
/** A catalogue's entries that hold the core's kinds too: `{...} satisfies WithCoreKinds<Entry>` fails to compile without one. */
export type WithCoreKinds<E> = Record<CoreKind, E> & Record<string, E>;

/**
 * A platform's `refuse`, typed by the kinds it renders: `refuse('invalid_sgin')` does not compile.
 * `throw refuse('invalid_sign')`, `throw refuse('unknown_client', appKey)`.
 */
export type Refuse<K extends string> = (kind: K, detail?: string, vars?: Record<string, string>) => ProtocolError<K>;
/** The same, with a note for the journal and the log. */
export type RefuseWithNote<K extends string> = (kind: K, note: string | undefined, detail?: string) => ProtocolError<K>;

/**
 * `export const { refuse, refuseWithNote } = refusals(MANTUN_ERRORS)`: the refusals of the kinds the
 * given catalogues hold (the argument is there for its type; several are joined).
 */
export function refusals<K extends string>(
  ..._catalogues: readonly { readonly kinds: readonly K[] }[]
): { refuse: Refuse<K>; refuseWithNote: RefuseWithNote<K> } {
  return { refuse: refuse<K>, refuseWithNote: refuseWithNote<K> };
}

/** Untyped, for platforms built outside this package: a platform's own `refusals(...)` checks its kinds. */
export function refuse<K extends string = string>(kind: K, detail?: string, vars: Record<string, string> = {}): ProtocolError<K> {
  return new ProtocolError(kind, detail === undefined ? vars : { ...vars, detail });
}

export function refuseWithNote<K extends string = string>(kind: K, note: string | undefined, detail?: string): ProtocolError<K> {
  const error = refuse(kind, detail);
  if (note !== undefined) error.note = note;
  return error;
}

export interface Catalogue<K extends string, E extends object> {
  readonly entries: Readonly<Record<K, E>>;
  readonly kinds: readonly K[];
  has(kind: string): kind is K;
  /**
   * The entry with a fixture's override laid over it and `{placeholders}` in its texts filled in. A
   * renderer passes the kind of a ProtocolError, a string: one this catalogue lacks is a bug of ours.
   */
  resolve(kind: string, overrides: Partial<Record<K, Partial<E>>> | undefined, vars?: Readonly<Record<string, string>>): E;
}

/**
 * One platform's catalogue: kind → entry (status, body fields, message texts). `placeholders` are
 * the `{name}`s its texts may hold; a missing value reads as empty, so a text never leaks `{detail}`.
 * Write the entries once and let the kinds follow from them:
 * `const entries = {...} satisfies Record<string, Entry>; defineCatalogue<keyof typeof entries, Entry>(entries)`.
 */
export function defineCatalogue<K extends string, E extends object>(entries: Record<K, E>, placeholders: readonly string[] = ['detail']): Catalogue<K, E> {
  const kinds = Object.keys(entries) as K[];
  const fill = (text: string, vars: Readonly<Record<string, string>>): string => {
    let out = text;
    for (const name of placeholders) if (out.includes(`{${name}}`)) out = out.replace(`{${name}}`, vars[name] ?? '');
    return out;
  };
  const has = (kind: string): kind is K => Object.hasOwn(entries, kind);
  return {
    entries,
    kinds,
    has,
    resolve(kind, overrides, vars = {}) {
      // Kinds come from typed code and from validated fault rules: an unknown one is a bug of ours.
      if (!has(kind)) throw new Error(`internal error: no error kind "${kind}" in this catalogue`);
      const merged: Record<string, unknown> = { ...(entries[kind] as object), ...(overrides?.[kind] ?? {}) };
      for (const [k, v] of Object.entries(merged)) if (typeof v === 'string') merged[k] = fill(v, vars);
      return merged as unknown as E;
    },
  };
}
