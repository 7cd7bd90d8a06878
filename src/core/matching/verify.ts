import { ControlError } from '../errors/control-error.js';
import type { JournalEntry } from '../journal.js';
import { CompiledMatch, type MatchFailure, type RequestMatch } from './request-match.js';
import { entrySubject } from './subjects.js';

/** How many matching requests a verification expects: exactly `count`, or at least / at most (both may be given). */
export interface Expectation {
  count?: number;
  atLeast?: number;
  atMost?: number;
}

/** A request that met all but one or two criteria: which, and what it had instead. */
export interface NearMiss {
  id: number;
  /** `POST /oauth/refresh.as → 200 mantun/refresh.as`: the request at a glance. */
  request: string;
  failed: MatchFailure[];
}

export interface Verification {
  ok: boolean;
  /** How many requests matched. */
  count: number;
  /** The whole report, in words (also the assertion message in-process). */
  report: string;
  nearMisses: NearMiss[];
}

const NEAR_MISSES_SHOWN = 5;

export function readExpectation(body: Record<string, unknown>): Expectation {
  const out: Expectation = {};
  for (const key of ['count', 'atLeast', 'atMost'] as const) {
    const v = body[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw new ControlError('invalid_request', `"${key}" must be a whole number ≥ 0, got ${JSON.stringify(v)}.`);
    out[key] = v;
  }
  if (out.count !== undefined && (out.atLeast !== undefined || out.atMost !== undefined))
    throw new ControlError('invalid_request', 'Give "count" alone, or "atLeast" and/or "atMost", not both.');
  if (out.atLeast !== undefined && out.atMost !== undefined && out.atLeast > out.atMost)
    throw new ControlError('invalid_request', `"atLeast" (${out.atLeast}) is more than "atMost" (${out.atMost}): no count can satisfy both.`);
  return out;
}

function expected(e: Expectation): string {
  if (e.count !== undefined) return `exactly ${e.count}`;
  if (e.atLeast !== undefined && e.atMost !== undefined) return `between ${e.atLeast} and ${e.atMost}`;
  if (e.atMost !== undefined) return `at most ${e.atMost}`;
  return `at least ${e.atLeast ?? 1}`;
}

function holds(e: Expectation, n: number): boolean {
  if (e.count !== undefined) return n === e.count;
  return n >= (e.atLeast ?? (e.atMost === undefined ? 1 : 0)) && (e.atMost === undefined || n <= e.atMost);
}

export const describeEntry = (e: JournalEntry): string =>
  `${e.method} ${e.path} → ${e.status} ${e.endpoint === '' ? 'unmatched' : `${e.platform}/${e.endpoint}`}${e.apiMethod ? ` ${e.apiMethod}` : ''}${e.session === 'default' ? '' : ` [${e.session}]`}`;

/**
 * Count the requests a match selects and judge the count; when it fails, the nearest misses say why
 * (as WireMock's near-miss report does): the requests that met all but one or two criteria.
 */
export function verifyRequests(newestFirst: readonly JournalEntry[], match: RequestMatch, expectation: Expectation): Verification {
  const compiled = new CompiledMatch(match);
  let count = 0;
  const misses: { entry: JournalEntry; failed: MatchFailure[] }[] = [];
  for (const entry of newestFirst) {
    const failed = compiled.failures(entrySubject(entry));
    if (failed.length === 0) count++;
    else if (failed.length <= 2 && failed.length < compiled.size) misses.push({ entry, failed });
  }
  const ok = holds(expectation, count);
  const n = expectation.count ?? expectation.atMost ?? expectation.atLeast ?? 1;
  const want = `${expected(expectation)} request${n === 1 && expectation.atMost === undefined ? '' : 's'} matching ${JSON.stringify(match)}`;
  const head = `Expected ${want}; ${count} matched (of ${newestFirst.length} in the journal).`;
  // Fewest failed criteria first; among equals, the newest (the journal's order is kept by the stable sort).
  const nearest = ok ? [] : misses.sort((a, b) => a.failed.length - b.failed.length).slice(0, NEAR_MISSES_SHOWN);
  const nearMisses = nearest.map(({ entry, failed }) => ({ id: entry.id, request: describeEntry(entry), failed }));
  const lines = [head];
  if (!ok) {
    if (nearMisses.length === 0) lines.push('No request came within two criteria of the match.');
    else {
      lines.push(`Nearest misses (all but ${nearMisses.some((m) => m.failed.length === 2) ? 'one or two criteria' : 'one criterion'} met):`);
      for (const m of nearMisses)
        lines.push(`  #${m.id} ${m.request}: ${m.failed.map((f) => `${f.criterion} was ${f.actual}, expected ${f.expected}`).join('; ')}`);
    }
  }
  return { ok, count, report: lines.join('\n'), nearMisses };
}
