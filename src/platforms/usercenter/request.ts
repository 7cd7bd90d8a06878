import { looksLikeForm, parseForm, parseJson } from '../../core/http/params.js';
import { refuse } from './errors.js';
import type { PlatformRequest } from '../../core/platform.js';

/**
 * Every spelling of a field that real clients send (docs/platforms/usercenter.md#requests), the first one present wins.
 * `"validateCode "` with a trailing space is in the official example body.
 */
export const FIELDS = {
  sysid: ['sysid', 'sys', 'sysId'],
  clientId: ['client_id', 'clientId'],
  username: ['username', 'userName'],
  md5password: ['md5password', 'md5Password'],
  shapassword: ['shapassword', 'shaPassword'],
  validateCode: ['validateCode', 'validateCode '],
  accessToken: ['accessToken', 'access_token'],
  refreshToken: ['refresh_token', 'refreshToken'],
} as const satisfies Record<string, readonly string[]>;

export type Field = keyof typeof FIELDS;

/** The scalar fields of a body as strings (numbers are accepted where strings are documented). */
export type BodyParams = Record<string, string>;

/**
 * Fields whose JSON type cannot stand for a string, kept beside the params (the journal records only
 * the params). Only a body that has some gets an entry: the common request pays nothing for it.
 */
const wrongTypesOf = new WeakMap<BodyParams, Record<string, string>>();

function describe(value: unknown): string {
  const kind = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  const text = JSON.stringify(value);
  return `${kind} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}

/**
 * The body as the real service reads it: JSON (by content type, or by its first character when the
 * client sent no usable type), or a form; the query string underneath. Anything else is refused in
 * UserCenter's own shape, never with a crash.
 */
export function readBody(req: PlatformRequest): BodyParams {
  const values: BodyParams = Object.assign(Object.create(null), req.query);
  const text = req.rawBody ? req.rawBody.toString('utf8') : '';
  const trimmed = text.trim();
  if (trimmed === '') return values;
  const jsonLike = req.contentType.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (jsonLike) {
    const parsed = parseJson(trimmed);
    if (!parsed.ok) throw refuse('invalid_body', `not valid JSON (${parsed.error})`);
    const v = parsed.value;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw refuse('invalid_body', `got ${describe(v)}`);
    let wrongTypes: Record<string, string> | undefined;
    for (const [k, field] of Object.entries(v as Record<string, unknown>)) {
      if (typeof field === 'string') values[k] = field;
      else if (typeof field === 'number' && Number.isFinite(field)) values[k] = String(field);
      else if (field === null) delete values[k];
      else (wrongTypes ??= Object.create(null) as Record<string, string>)[k] = describe(field);
    }
    if (wrongTypes) wrongTypesOf.set(values, wrongTypes);
    return values;
  }
  if (req.contentType === 'application/x-www-form-urlencoded' || looksLikeForm(text)) return Object.assign(values, parseForm(text));
  throw refuse('invalid_body', `got a ${req.contentType ? `${req.contentType} ` : ''}body that is neither JSON nor a form`);
}

/** The value of a field under any of its spellings; '' and null count as absent. */
export function pick(body: BodyParams, field: Field): string | undefined {
  const wrongTypes = wrongTypesOf.get(body);
  for (const name of FIELDS[field]) {
    if (wrongTypes && name in wrongTypes) throw refuse('invalid_field', `"${name}" must be a string, got ${wrongTypes[name]}`);
    const v = body[name];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}
