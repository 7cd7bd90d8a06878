import { ScenarioNotFound } from '../core/scenarios/loader.js';
import { formatIssue, LoadError } from '../core/validation.js';

/** One problem is one line, saying what and where; several are counted first, then listed one per line. */
function loadErrorText(e: LoadError): string {
  if (e.issues.length !== 1) return `invalid fixture or scenario (${e.issues.length} problems):\n${e.message}`;
  return e instanceof ScenarioNotFound ? e.issues[0].message : `invalid fixture or scenario: ${formatIssue(e.issues[0])}`;
}

export function fail(e: unknown): never {
  const text = e instanceof LoadError ? loadErrorText(e) : (e as Error)?.message ?? String(e);
  process.stderr.write(`sandbox: ${text}\n`);
  process.exit(1);
}
