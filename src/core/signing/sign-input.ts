import type { SignInput } from '../platform.js';

/** What every platform's `sandbox sign` face needs from the input: required options, fixture entries, JSON options. */

/** A required string option, or an error naming its flag and what to give. */
export function need(input: SignInput, name: string, hint: string): string {
  const v = input[name];
  if (typeof v !== 'string' || v === '') throw new Error(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is required: ${hint}`);
  return v;
}

/** The fixture entry a user named (the first one when they named none), or an error listing the others. */
export function pickEntry<T>(list: readonly T[], id: string | undefined, key: (t: T) => string, what: string): T {
  if (list.length === 0) throw new Error(`the fixtures hold no ${what}; add one or pass --fixtures`);
  if (id === undefined) return list[0];
  const found = list.find((t) => key(t) === id);
  if (!found) throw new Error(`no ${what} "${id}" in the fixtures; there are: ${list.map(key).join(', ')}`);
  return found;
}

/** A JSON-object option such as --biz-content. */
export function jsonOption(text: string | undefined, flag: string): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below with the same message
  }
  throw new Error(`--${flag} must be a JSON object such as '{"code":"..."}', got ${text}`);
}
