import { looksLikeForm, parseForm, parseJson } from '../../core/http/params.js';
import type { PlatformRequest, Reply } from '../../core/platform.js';
import type { World } from '../../core/world.js';
import { fail, guarded } from './context.js';

/**
 * Every spelling of a field that real clients send (PROTOCOLS §2), the first one present wins.
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

export interface BodyParams {
  /** Scalar fields as strings (numbers are accepted where strings are documented). */
  values: Record<string, string>;
  /** Fields whose JSON type cannot stand for a string, with a description of what came. */
  wrongTypes: Record<string, string>;
}

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
  const values: Record<string, string> = Object.assign(Object.create(null), req.query);
  const wrongTypes: Record<string, string> = Object.create(null);
  const text = req.rawBody ? req.rawBody.toString('utf8') : '';
  const trimmed = text.trim();
  if (trimmed === '') return { values, wrongTypes };
  const jsonLike = req.contentType.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (jsonLike) {
    const parsed = parseJson(trimmed);
    if (!parsed.ok) throw fail(req.world, 'invalid_body', `not valid JSON (${parsed.error})`);
    const v = parsed.value;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw fail(req.world, 'invalid_body', `got ${describe(v)}`);
    for (const [k, field] of Object.entries(v as Record<string, unknown>)) {
      if (typeof field === 'string') values[k] = field;
      else if (typeof field === 'number' && Number.isFinite(field)) values[k] = String(field);
      else if (field === null) delete values[k];
      else wrongTypes[k] = describe(field);
    }
    return { values, wrongTypes };
  }
  if (req.contentType === 'application/x-www-form-urlencoded' || looksLikeForm(text)) {
    Object.assign(values, parseForm(text));
    return { values, wrongTypes };
  }
  throw fail(req.world, 'invalid_body', `got a ${req.contentType ? `${req.contentType} ` : ''}body that is neither JSON nor a form`);
}

/** The value of a field under any of its spellings; '' and null count as absent. */
export function pick(world: World, body: BodyParams, field: Field): string | undefined {
  for (const name of FIELDS[field]) {
    if (name in body.wrongTypes) throw fail(world, 'invalid_field', `"${name}" must be a string, got ${body.wrongTypes[name]}`);
    const v = body.values[name];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/**
 * Read the body and run an endpoint on it: protocol failures (a body refused included) become
 * their replies, and whatever params were read go to the journal.
 */
export function withBody(req: PlatformRequest, run: (body: BodyParams, world: World) => Reply | Promise<Reply>): Promise<Reply> {
  let body: BodyParams | undefined;
  return guarded(
    () => body?.values,
    () => {
      body = readBody(req);
      return run(body, req.world);
    },
  );
}
