import { ControlError } from '../core/errors/control-error.js';
import type { Journal, JournalEntry, JournalFilter } from '../core/journal.js';
import { readMatch } from '../core/matching/read-match.js';
import { verifyRequests, type Expectation, type Verification } from '../core/matching/verify.js';

const invalid = (message: string) => new ControlError('invalid_request', message);

/** A journal filter from any caller, checked as a matcher (a typo or a bad regular expression is refused, not ignored). */
function checkedFilter(filter: JournalFilter): JournalFilter {
  if (filter === null || typeof filter !== 'object')
    throw invalid(`A request filter is a matcher object such as {"platform": "sop"}, got ${JSON.stringify(filter)}.`);
  const { limit, ...match } = filter;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0))
    throw invalid(`"limit" must be a whole number, got ${JSON.stringify(limit)}.`);
  return { ...readMatch(match, 'filter'), ...(limit !== undefined ? { limit } : {}) };
}

/** The journal of every process of this sandbox, newest first: the entries a matcher selects (see core/matching). */
export function allRequests(journal: Journal, filter: JournalFilter): Promise<JournalEntry[]> {
  return journal.listAll(checkedFilter(filter));
}

/** This process's part of the journal (all of it with one process): what synchronous readers use. */
export function localRequests(journal: Journal, filter: JournalFilter): JournalEntry[] {
  return journal.list(checkedFilter(filter));
}

/** Count the requests a matcher selects, over every process's journal, and judge the count (a report with near misses when it fails). */
export async function verifyAll(journal: Journal, match: unknown, expectation: Expectation): Promise<Verification> {
  const checked = readMatch(match);
  return verifyRequests(await journal.listAll(), checked, expectation);
}

/** The same over this process's journal, at once (the in-process API's assertion). */
export function verifyLocal(journal: Journal, match: unknown, expectation: Expectation): Verification {
  const checked = readMatch(match);
  return verifyRequests(journal.list(), checked, expectation);
}
