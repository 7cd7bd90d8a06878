/**
 * Values that are random by nature (codes, tokens, request ids, timestamps, signatures) differ on every run,
 * on the real platform as in the sandbox: they are compared by what a client can check — length, alphabet,
 * the layout of a time and its zone — never by value.
 */

const NAMED_RANDOM = /(code|token|sign|signature|requestid|openid|unionid|nonce|timestamp|time|date|expires_at|expiresat|id)$/;
/** A `code` that is a short number is a status ("0", "10004"), compared by value. */
const STATUS_CODE = /^-?\d{1,6}$/;
const HEX32 = /^[0-9a-fA-F]{32}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const fieldName = (key: string) => key.toLowerCase().replace(/[-_\s]/g, '');

/** Whether the value at this field is random by nature. */
export function isRandomByNature(key: string, value: unknown): boolean {
  if (typeof value === 'string') {
    if (HEX32.test(value) || UUID.test(value)) return true;
    const name = fieldName(key);
    if (name === 'code' || name.endsWith('code')) return !STATUS_CODE.test(value) && value.length >= 8;
    return NAMED_RANDOM.test(name) && value.length > 0 && !/\s{2,}/.test(value) && timeOrOpaque(value);
  }
  if (typeof value === 'number') return /(timestamp|time|date)$/.test(fieldName(key)) && value > 1e9;
  return false;
}

/** A text that reads as a time or as an opaque id (no spaces, no sentence): not a message. */
const timeOrOpaque = (value: string) => TIME_LAYOUTS.some(([re]) => re.test(value)) || /^[A-Za-z0-9+/=_.:-]+$/.test(value);

const TIME_LAYOUTS: [RegExp, string][] = [
  [/^\d{14}$/, 'yyyyMMddHHmmss'],
  [/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'yyyy-MM-dd HH:mm:ss'],
  [/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'yyyy-MM-dd HH:mm'],
  [/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/, 'ISO 8601'],
];

/** What a client sees of a random value: its layout (a time, with its zone) or its length and alphabet. */
export function formatOf(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? `integer of ${String(Math.trunc(value)).length} digits` : 'decimal number';
  if (typeof value !== 'string') return typeof value;
  for (const [re, layout] of TIME_LAYOUTS) {
    if (!re.test(value)) continue;
    if (layout !== 'ISO 8601') return `time ${layout}`;
    const zone = /(Z|[+-]\d{2}:?\d{2})$/.exec(value)![1];
    return `time ISO 8601 in zone ${zone === 'Z' ? '+00:00' : zone}`;
  }
  if (UUID.test(value)) return `UUID (${/[a-f]/.test(value) ? 'lower' : 'upper'}-case)`;
  return `${value.length} characters of ${alphabet(value)}`;
}

function alphabet(value: string): string {
  if (/^[0-9]+$/.test(value)) return 'digits';
  if (/^[0-9a-f]+$/.test(value)) return 'lower-case hex';
  if (/^[0-9A-F]+$/.test(value)) return 'upper-case hex';
  const classes = [
    /[0-9]/.test(value) && 'digits',
    /[a-z]/.test(value) && 'lower-case',
    /[A-Z]/.test(value) && 'upper-case',
    /[^0-9A-Za-z]/.test(value) && 'signs',
  ];
  return classes.filter(Boolean).join(', ');
}

const CLOCK_READING = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/g;
/** How far apart two clock readings in a message may be: the two platforms read their clocks milliseconds apart. */
const CLOCK_READING_SLACK_MS = 2000;

/**
 * Whether two messages say the same once the clock readings they quote are set aside (a stale-timestamp
 * refusal quotes the platform's time): readings at most two seconds apart are the same moment read twice,
 * across a second's boundary.
 */
export function sameBesideClockReadings(real: string, sandbox: string): boolean {
  const r = real.match(CLOCK_READING);
  const s = sandbox.match(CLOCK_READING);
  if (!r || !s || r.length !== s.length) return false;
  if (real.replace(CLOCK_READING, '') !== sandbox.replace(CLOCK_READING, '')) return false;
  return r.every((reading, i) => Math.abs(Date.parse(`${reading.replace(' ', 'T')}Z`) - Date.parse(`${s[i]!.replace(' ', 'T')}Z`)) <= CLOCK_READING_SLACK_MS);
}
