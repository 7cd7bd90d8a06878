import { ScenarioNotFound } from '../../core/scenarios/loader.js';
import { formatIssue, LoadError } from '../../core/validation/load-error.js';
import { jsonLine, jsonOutput } from './json-lines.js';
import { UsageError } from '../../core/errors/usage-error.js';
import { CommandLineExit, exitNow, terminal } from './terminal.js';

/** One problem is one line, saying what and where; several are counted first, then listed one per line. */
function loadErrorText(e: LoadError): string {
  if (e.issues.length !== 1) return `invalid fixture or scenario (${e.issues.length} problems):\n${e.message}`;
  return e instanceof ScenarioNotFound ? e.issues[0].message : `invalid fixture or scenario: ${formatIssue(e.issues[0])}`;
}

export const failureText = (e: unknown): string => (e instanceof LoadError ? loadErrorText(e) : ((e as Error)?.message ?? String(e)));

/** Run before the process exits on a failure: a starting sandbox records why it did not start (health, --detach). */
const hooks: ((message: string) => void)[] = [];
export const onFailure = (hook: (message: string) => void): void => {
  hooks.push(hook);
};

export function fail(e: unknown): never {
  // An in-process run that already ended (said why, chose its code) passes through the catch blocks above it.
  if (e instanceof CommandLineExit) throw e;
  const text = failureText(e);
  for (const hook of hooks.splice(0)) {
    try {
      hook(text);
    } catch {
      // Reporting the failure must not hide it.
    }
  }
  terminal().stderr.write(jsonOutput() ? jsonLine('error', text) : `sandbox: ${text}\n`);
  exitNow(e instanceof UsageError ? e.exitCode : 1);
}
