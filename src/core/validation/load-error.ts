import type { z } from 'zod';
import { closest, didYouMean } from './did-you-mean.js';
import { alternatives, describeShape, fieldsAt, orList, schemasAt, stringValues } from './schema-at.js';

/** One thing wrong with a file a user gave us: where, and what was expected. */
export interface LoadIssue {
  file: string;
  path: string;
  message: string;
}

/** Problems a message lists; the rest are counted (a file of 150 000 bad records made a 12 MB message). */
const LISTED = 50;

export class LoadError extends Error {
  constructor(readonly issues: LoadIssue[]) {
    const listed = issues.slice(0, LISTED).map(formatIssue);
    if (issues.length > LISTED) listed.push(`… and ${issues.length - LISTED} more problems`);
    super(listed.join('\n'));
    this.name = 'LoadError';
  }
}

export function formatIssue(issue: LoadIssue): string {
  return issue.path ? `${issue.file}: ${issue.path}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}

/** `["mantun","apps",0,"appSecret"]` → `mantun.apps[0].appSecret`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** Validate `data` from `file` and turn zod's issues into messages naming the file and the JSON path. */
export function validateWith<T>(schema: z.ZodType<T>, data: unknown, file: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new LoadError(
    result.error.issues
      .flatMap((issue) => describeIssue(schema, data, issue as ZodIssue, []))
      .map((i) => ({ file, path: formatPath(i.path), message: i.message })),
  );
}

/** What describeIssue reads of a zod issue (a union carries each option's own issues). */
interface ZodIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  expected?: string;
  values?: unknown[];
  errors?: ZodIssue[][];
}

/**
 * One issue as a person reads it: what was expected, what came, and the likely fix. An unknown field names the
 * field it probably meant; a wrong value of a fixed set lists the set (zod says only "Invalid input" for a
 * union) and the value it probably meant.
 */
function describeIssue(schema: z.ZodType, data: unknown, issue: ZodIssue, base: readonly PropertyKey[]): { path: PropertyKey[]; message: string }[] {
  const path = [...base, ...issue.path];
  const got = valueAt(data, path);
  const stock = issue.message.startsWith('Invalid');
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    const fields = fieldsAt(schema, path);
    const named = issue.keys.map((k) => `"${k}"${didYouMean(k, fields)}`);
    return [{ path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${named.join(', ')}` }];
  }
  if (issue.code === 'invalid_type' && stock) {
    return [
      { path, message: got === undefined ? `required field is missing (expected ${issue.expected})` : `expected ${issue.expected}, got ${describeValue(got)}` },
    ];
  }
  if (issue.code === 'invalid_value' && stock && issue.values) {
    const strings = issue.values.filter((v): v is string => typeof v === 'string');
    return [{ path, message: `expected ${orList(issue.values.map((v) => JSON.stringify(v)))}${gotText(got, strings)}` }];
  }
  if (issue.code === 'invalid_union' && stock) {
    // An object that fits none of the shapes: what is wrong inside it says more than the list of shapes.
    if (isPlainObject(got) && issue.errors) {
      const inner = issue.errors.filter(
        (errs) => errs.length > 0 && !errs.every((e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value')),
      );
      if (inner.length) return inner.flatMap((errs) => errs.flatMap((e) => describeIssue(schema, data, e, path)));
    }
    const shapes = schemasAt(schema, path).flatMap(alternatives);
    const described = [...new Set(shapes.flatMap(describeShape))];
    if (described.length) return [{ path, message: `expected ${orList(described)}${gotText(got, stringValues(shapes))}` }];
  }
  let message = issue.message;
  if (issue.code !== 'custom' && got !== undefined) message += ` (got ${describeValue(got)})`;
  return [{ path, message }];
}

/** ` (got "rejct"; did you mean "reject"?)`, or without the guess when none is close. */
function gotText(got: unknown, candidates: readonly string[]): string {
  if (got === undefined) return '';
  const guess = typeof got === 'string' ? closest(got, candidates) : undefined;
  return ` (got ${describeValue(got)}${guess === undefined ? '' : `; did you mean "${guess}"?`})`;
}

export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(out[k], v);
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
