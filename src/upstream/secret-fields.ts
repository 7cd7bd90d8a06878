import type { Placeholders } from './placeholders.js';

/**
 * Which values a recording hides. By field name (case, `_`, `-` and spaces ignored): passwords in any
 * form (`passwd`, `md5password`, `shapassword`), every secret (`client_secret`, `appSecret`), every
 * signature (`sign`, `clientSign`), private keys, every token (`access_token`, `refreshToken`,
 * `app_auth_token`, ...), authorization codes (`code`, `validateCode`; a `code` that is a short number is
 * a status, and stays). By shape, whatever the field: a 32-hex value or a UUID (how these platforms write
 * codes and tokens, even in a plain `result` text), and any value already hidden elsewhere in the recording.
 */
const SECRET_NAME = /^(.*pass(wd|word)|pwd|.*secret.*|sign|clientsign|.*signature|.*privatekey|.*token|code|authcode|validatecode|ticket)$/;
const STATUS_CODE = /^-?\d{1,8}$/;
const TOKEN_SHAPE = /^([0-9a-f]{32}|[0-9A-F]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** Headers that carry credentials. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-sandbox-admin-token|x-api-key|x-auth-token)$/i;

const normalized = (name: string) => name.replace(/[\s_-]/g, '').toLowerCase();

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(normalized(name));
}

/** The masking of one recording: field values, texts holding JSON or forms, and headers. */
export class SecretMask {
  constructor(private readonly placeholders: Placeholders) {}

  /** A value under a field name. */
  field(name: string, value: unknown): unknown {
    if (typeof value === 'string') {
      if (isSecretName(name) && value !== '' && !(normalized(name) === 'code' && STATUS_CODE.test(value))) return this.placeholders.of(value);
      return this.loose(value);
    }
    if (typeof value === 'number' && normalized(name) === 'code') return value;
    return this.value(value);
  }

  /** Any JSON value: objects by their field names, strings by their shape (and the JSON some hold). */
  value(value: unknown): unknown {
    if (typeof value === 'string') return this.loose(value);
    if (Array.isArray(value)) return value.map((v) => this.value(v));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const masked = this.field(k, v);
        if (k === '__proto__') Object.defineProperty(out, k, { value: masked, enumerable: true, writable: true, configurable: true });
        else out[k] = masked;
      }
      return out;
    }
    return value;
  }

  /** A string met where its name says nothing: JSON inside it is walked, a token shape or a known secret hidden. */
  loose(text: string): string {
    if (this.placeholders.isPlaceholder(text)) return text;
    if (this.placeholders.isKnownSecret(text) || TOKEN_SHAPE.test(text)) return this.placeholders.of(text);
    const t = text.trimStart();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return JSON.stringify(this.value(JSON.parse(text)));
      } catch {
        // Not JSON after all: a text like any other.
      }
    }
    return this.text(text);
  }

  /** Free text (a page, an error message): every secret this recording already knows is replaced where it appears. */
  text(text: string): string {
    return this.placeholders.replaceKnown(text);
  }

  /** A form body or a query string, as pairs, each value masked by its name. */
  formPairs(pairs: readonly [string, string][]): [string, string][] {
    return pairs.map(([k, v]) => [k, this.field(k, v) as string]);
  }

  /** A header value: credentials hidden whole, a redirect's query masked like a form, the rest as free text. */
  header(name: string, value: string): string {
    if (SECRET_HEADER.test(name)) return this.placeholders.of(value);
    if (name.toLowerCase() === 'location') return this.url(value);
    return this.text(value);
  }

  /** A URL whose query parameters (and fragment parameters, for implicit flows) are masked by name. */
  url(text: string): string {
    const q = text.indexOf('?');
    if (q < 0) return this.text(text);
    const hash = text.indexOf('#', q);
    const query = hash < 0 ? text.slice(q + 1) : text.slice(q + 1, hash);
    const masked = this.formPairs(parseForm(query))
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    return `${this.text(text.slice(0, q))}?${masked}${hash < 0 ? '' : this.text(text.slice(hash))}`;
  }
}

/** `a=1&b=2` as decoded pairs, `+` as space; a pair that does not decode is kept as written. */
export function parseForm(text: string): [string, string][] {
  if (text === '') return [];
  return text.split('&').flatMap((pair): [string, string][] => {
    if (pair === '') return [];
    const eq = pair.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    return [eq < 0 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))]];
  });
}
