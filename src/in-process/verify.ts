import { AssertionError } from 'node:assert';
import type { SandboxControl } from '../control/service.js';
import type { RequestMatch } from '../core/matching/request-match.js';
import { readExpectation, type Expectation, type Verification } from '../core/matching/verify.js';

/**
 * The in-process assertion: node:assert's AssertionError, which every test runner reports as a failed
 * assertion (Jest, Vitest, node:test), carrying the same report as POST /__sandbox/requests/verify.
 */
export function verifyFacade(control: SandboxControl, scope: Partial<RequestMatch> = {}) {
  return (match: RequestMatch, expectation: Expectation = {}): Verification => {
    const checked = readExpectation((expectation ?? {}) as Record<string, unknown>);
    const v = control.localVerify({ ...match, ...scope }, checked);
    if (!v.ok) throw new AssertionError({ message: v.report, actual: v.count, expected: checked, operator: 'verify' });
    return v;
  };
}
