import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

/**
 * Validation messages a user can act on, seen from the user's side: over the control plane and in
 * `sandbox validate`. An unknown scenario or field names the one probably meant; a value outside a fixed set
 * lists the set (zod's own words for a union are a bare "Invalid input"); a JSON syntax error gives the line
 * and column, not a character position.
 */

const t = useSandbox({}, 'all');
const put = (body: object) => t().http.put('/__sandbox/scenario').send(body);

test('an unknown scenario name: 404 naming the one probably meant, then the library', async () => {
  const res = await put({ name: 'expiry-fst' });
  expect(res.status).toBe(404);
  expect(res.body.error).toBe('unknown_scenario');
  expect(res.body.message).toMatch(/^expiry-fst: unknown scenario "expiry-fst" \(did you mean "expiry-fast"\?\); the library has callback-url-missing, /);
  // Nothing close: no guess.
  expect((await put({ name: 'zzzzzz' })).body.message).toMatch(/^zzzzzz: unknown scenario "zzzzzz"; the library has /);
});

test.each([
  [{ scenario: { polcy: {} } }, '', 'unknown field "polcy" (did you mean "policy"?)'],
  [{ scenario: { policy: { lifetimes: { acess: 5 } } } }, 'policy.lifetimes', 'unknown field "acess" (did you mean "access"?)'],
  [
    { scenario: { policy: { refreshReuse: 'rejct' } } },
    'policy.refreshReuse',
    'expected "reject", "accept" or {"withinSeconds": …} (got "rejct"; did you mean "reject"?)',
  ],
  [
    { scenario: { policy: { oldAccessAfterRefresh: 'revok' } } },
    'policy.oldAccessAfterRefresh',
    'expected "keep", "revoke" or {"graceSeconds": …} (got "revok"; did you mean "revoke"?)',
  ],
  [
    { scenario: { policy: { expiredOnIssue: 'yes' } } },
    'policy.expiredOnIssue',
    'expected true, false or an array of "code", "access", "refresh" or "temp" (got "yes")',
  ],
  [
    { scenario: { faults: [{ respond: { transport: 'resett' } }] } },
    'faults[0].respond.transport',
    'expected "reset" or "empty" (got "resett"; did you mean "reset"?)',
  ],
  [{ scenario: { faults: [{ respond: { status: 503 }, tags: 'token' }] } }, 'faults[0]', 'unknown field "tags" (did you mean "tag"?)'],
])('%j → 400 at "%s": %s', async (body, path, message) => {
  const res = await put(body);
  expect(res.status).toBe(400);
  expect(res.body.error).toBe('invalid_scenario');
  expect(res.body.issues).toEqual([{ file: 'request body', path, message }]);
  expect(res.body.message).not.toContain('Invalid input');
});

test('an object that fits none of a union’s shapes: what is wrong inside it, not the list of shapes', async () => {
  const res = await put({ scenario: { policy: { oldAccessAfterRefresh: { graceSecond: 5 } } } });
  expect(res.status).toBe(400);
  expect(res.body.issues).toEqual([
    { file: 'request body', path: 'policy.oldAccessAfterRefresh.graceSeconds', message: 'required field is missing (expected number)' },
    { file: 'request body', path: 'policy.oldAccessAfterRefresh', message: 'unknown field "graceSecond" (did you mean "graceSeconds"?)' },
  ]);
});

describe('sandbox validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-validation-messages-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['a missing comma', '{\n  "mantun": {\n    "apps": []\n    "users": []\n  }\n}\n', 'line 4, column 5 (at "\\"users\\": []\\n")'],
    ['a trailing comma', '{\n  "mantun": {},\n}\n', 'line 3, column 1 (at "}\\n")'],
    ['a file cut short', '{\n  "mantun": {\n', 'line 3, column 1 (at the end of the file)'],
  ])('a fixture file with %s: the line and column, not a character position', async (_what, text, where) => {
    const file = join(dir, 'fixtures.json');
    writeFileSync(file, text);
    const r = await runCliAsync(['validate', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}: not valid JSON: ${where}: `);
    expect(r.stderr).not.toMatch(/position \d+/);
  });
});
