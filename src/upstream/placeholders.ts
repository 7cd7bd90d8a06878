import { createHash } from 'node:crypto';

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX_LOWER = '0123456789abcdef';
const HEX_UPPER = '0123456789ABCDEF';

/**
 * Secret values and their stand-ins for one recording. A stand-in keeps the value's shape, so a reader
 * (and a later comparison) still sees a 32-hex token, a UUID or a Base64 signature: the same length, and
 * each character from the same alphabet (hex stays hex, digits stay digits, `-+/=` stay where they were).
 * The same secret always gets the same stand-in, so a token issued in one answer and sent in a later
 * request reads the same in both. Stand-ins are drawn from a hash of a counter and the recording's
 * salt, never from the value: nothing of the secret can be recovered from its stand-in.
 */
export class Placeholders {
  private readonly bySecret = new Map<string, string>();
  private readonly taken = new Set<string>();
  private counter = 0;

  constructor(private readonly salt: string) {}

  /** The stand-in of a secret (the empty string stays empty: there is nothing to hide). */
  of(secret: string): string {
    if (secret === '') return secret;
    const known = this.bySecret.get(secret);
    if (known !== undefined) return known;
    let stand: string;
    do stand = this.draw(secret);
    while (stand === secret || this.taken.has(stand));
    this.bySecret.set(secret, stand);
    this.taken.add(stand);
    return stand;
  }

  /** Whether a text is one of this recording's stand-ins (it must not be masked twice). */
  isPlaceholder(text: string): boolean {
    return this.taken.has(text);
  }

  /** Whether a value was seen as a secret before (a token met again where its field name says nothing). */
  isKnownSecret(text: string): boolean {
    return this.bySecret.has(text);
  }

  /** A text with every secret met so far replaced by its stand-in, wherever it appears (a redirect, a page). */
  replaceKnown(text: string): string {
    let out = text;
    for (const [secret, stand] of this.bySecret) if (secret.length >= 6 && out.includes(secret)) out = out.split(secret).join(stand);
    return out;
  }

  private draw(secret: string): string {
    const alphabetOf = alphabetsFor(secret);
    let stream = Buffer.alloc(0);
    let block = 0;
    const n = this.counter++;
    const out: string[] = [];
    for (let i = 0; i < secret.length; i++) {
      const alphabet = alphabetOf(secret[i]!);
      if (!alphabet) {
        out.push(secret[i]!);
        continue;
      }
      if (stream.length === 0) stream = createHash('sha256').update(`${this.salt}/${n}/${block++}`).digest();
      out.push(alphabet[stream[0]! % alphabet.length]!);
      stream = stream.subarray(1);
    }
    return out.join('');
  }
}

/** For each character of a secret, the alphabet its stand-in draws from (undefined: the character stays). */
function alphabetsFor(secret: string): (ch: string) => string | undefined {
  // Hex, either case, with a UUID's dashes: the stand-in is hex of the same case.
  if (/^[0-9a-f-]+$/.test(secret) && /[0-9a-f]/.test(secret)) return (ch) => (ch === '-' ? undefined : HEX_LOWER);
  if (/^[0-9A-F-]+$/.test(secret) && /[0-9A-F]/.test(secret)) return (ch) => (ch === '-' ? undefined : HEX_UPPER);
  return (ch) => (ch >= '0' && ch <= '9' ? DIGITS : ch >= 'a' && ch <= 'z' ? LOWER : ch >= 'A' && ch <= 'Z' ? UPPER : undefined);
}
