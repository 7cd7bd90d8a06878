import type { z } from 'zod';

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
    result.error.issues.map((issue) => {
      let message = issue.message;
      const got = valueAt(data, issue.path);
      if (issue.code === 'unrecognized_keys') {
        message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      } else if (issue.code === 'invalid_type') {
        message = got === undefined ? `required field is missing (expected ${issue.expected})` : `expected ${issue.expected}, got ${describeValue(got)}`;
      } else if (issue.code !== 'custom') {
        if (got !== undefined) message += ` (got ${describeValue(got)})`;
      }
      return { file, path: formatPath(issue.path), message };
    }),
  );
}

/** Objects merge key by key; arrays and scalars from later sources replace earlier ones. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(out[k], v);
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
