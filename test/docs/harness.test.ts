import { parseBlocks, parseMarker } from './markdown.js';
import { describeStep, planPage } from './plan.js';
import { fromPort, matchesOutput, needsPageSandbox, programPath, toPort, toTarball } from './run-page.js';

/** The rules docs/doc-tests.md states, checked on small pages written here, so the docs test itself cannot drift. */

const page = (text: string) => planPage(parseBlocks('docs/example.md', text));
const kinds = (text: string) => page(text).map((s) => (s.kind === 'error' ? `error: ${s.problem}` : s.kind));

describe('which blocks run, and how', () => {
  test('sh, js, ts and json run; text is not code; anything else unmarked is an error naming the way out', () => {
    const text = [
      '```sh',
      'echo hi',
      '```',
      '```js',
      '1',
      '```',
      '```ts',
      '1',
      '```',
      '```json',
      '{}',
      '```',
      '```text',
      'a diagram',
      '```',
      '```yaml',
      'a: 1',
      '```',
      '```',
      'no language',
      '```',
    ].join('\n');
    expect(kinds(text)).toEqual([
      'shell',
      'program',
      'program',
      'json',
      'not-run',
      'error: the docs test cannot run a ```yaml block; mark it (see docs/doc-tests.md): <!-- doc-test: skip REASON --> on the line above, or ```text if it is not code',
      'error: the docs test cannot run a ```(no language) block; mark it (see docs/doc-tests.md): <!-- doc-test: skip REASON --> on the line above, or ```text if it is not code',
    ]);
  });

  test('markers: file, continue, output (exit, stderr), server, skip with its reason, and the Jest recipe', () => {
    const text = [
      '<!-- doc-test: file bugs/a.json -->',
      '```json',
      '{}',
      '```',
      '```js',
      'a',
      '```',
      '<!-- doc-test: continue -->',
      '```js',
      'b',
      '```',
      '<!-- doc-test: output exit=1 stderr -->',
      '```text',
      'x',
      '```',
      '<!-- doc-test: server -->',
      '```sh',
      'npx sandbox start --port 8848',
      '```',
      '<!-- doc-test: skip needs a Docker daemon -->',
      '```yaml',
      'a: 1',
      '```',
      '<!-- recipe: jest/package.json -->',
      '```json',
      '{}',
      '```',
    ].join('\n');
    const steps = planPage(parseBlocks('docs/in-process.md', text));
    expect(steps.map(describeStep)).toEqual([
      'docs/in-process.md:2 file bugs/a.json',
      'docs/in-process.md:5, 9 JavaScript program (2 blocks)',
      'docs/in-process.md:13 is the stderr of docs/in-process.md:9, exit 1',
      'docs/in-process.md:17 starts a sandbox',
      'docs/in-process.md:21 not run: needs a Docker daemon',
      'docs/in-process.md:25 run by test/packaging/jest-recipe.test.ts',
    ]);
  });

  test('misplaced or malformed markers are errors, never a silent skip', () => {
    expect(kinds(['<!-- doc-test: output -->', '```text', 'x', '```'].join('\n'))).toEqual([
      'error: an output block must come right after the shell block or program whose output it shows',
    ]);
    expect(kinds(['```sh', 'a', '```', '<!-- doc-test: continue -->', '```js', 'b', '```'].join('\n'))).toEqual([
      'shell',
      'error: "continue" must follow a js block that it continues',
    ]);
    expect(kinds(['```js', 'a', '```', '```text', 'b', '```', '<!-- doc-test: output -->', '```text', 'c', '```'].join('\n'))).toEqual([
      'program',
      'not-run',
      'error: an output block must come right after the shell block or program whose output it shows',
    ]);
    expect(kinds(['<!-- doc-test: server -->', '```js', 'a', '```'].join('\n'))).toEqual(['error: a server block is a shell command']);
    expect(parseMarker('<!-- doc-test: skip -->')).toEqual({ kind: 'invalid', problem: '"skip" needs a reason: <!-- doc-test: skip why it cannot run -->' });
    expect(parseMarker('<!-- doc-test: file ../outside.json -->')).toEqual({
      kind: 'invalid',
      problem: '"file" takes one relative path, got "../outside.json"',
    });
    expect(parseMarker('<!-- doc-test: ouput -->')).toEqual({ kind: 'invalid', problem: 'unknown directive "ouput" (file, continue, output, server, skip)' });
    expect(kinds(['<!-- recipe: vitest/a.ts -->', '```ts', 'a', '```'].join('\n'))).toEqual(['error: no test runs recipe "vitest" of docs/example.md']);
  });

  test('an indented block (in a list item) is read without its indentation', () => {
    const [block] = parseBlocks('docs/x.md', ['- item:', '', '  ```text', '  line one', '    line two', '  ```'].join('\n'));
    expect(block).toEqual({ page: 'docs/x.md', line: 3, info: 'text', language: 'text', marker: { kind: 'none' }, code: 'line one\n  line two\n' });
  });
});

describe('the port and package rules', () => {
  test('8848 standing alone becomes the port; inside a longer number, a word or a version it stays', () => {
    expect(toPort('curl http://127.0.0.1:8848/x localhost:8848 --port 8848 --port=8848 18848 88481 a8848 v1.8848', 41234)).toBe(
      'curl http://127.0.0.1:41234/x localhost:41234 --port 41234 --port=41234 18848 88481 a8848 v1.8848',
    );
    expect(fromPort('http://localhost:41234/s/x 141234 41234a', 41234)).toBe('http://localhost:8848/s/x 141234 41234a');
  });

  test('npm install of the package installs the tarball; other packages and other commands are left alone', () => {
    const tgz = '/tmp/p/oauth-platform-sandbox-0.1.0.tgz';
    expect(
      toTarball(
        'npm install --save-dev oauth-platform-sandbox  # note\nnpm i -D oauth-platform-sandbox vitest\nnpm i oauth-platform-sandbox-extra\nnpx oauth-platform-sandbox start',
        tgz,
      ),
    ).toBe(`npm install --save-dev ${tgz}  # note\nnpm i -D ${tgz} vitest\nnpm i oauth-platform-sandbox-extra\nnpx oauth-platform-sandbox start`);
  });

  test("a page gets a sandbox of the test's own unless a block of its own starts one before any block runs code or names the port", () => {
    const needs = (...blocks: string[][]) => needsPageSandbox(page(blocks.flat().join('\n')));
    const server = ['<!-- doc-test: server -->', '```sh', 'npx sandbox start --port 8848', '```'];
    const shell = ['```sh', 'curl -s http://127.0.0.1:8848/__sandbox/health', '```'];
    const fixture = (port: string) => ['<!-- doc-test: file a.json -->', '```json', `{"callback": "http://127.0.0.1:${port}/cb"}`, '```'];
    expect(needs(shell, server)).toBe(true);
    expect(needs(['```js', '1', '```'], server)).toBe(true);
    expect(needs(fixture('8848'), server)).toBe(true);
    expect(needs(fixture('8848'))).toBe(true);
    expect(needs(server, shell)).toBe(false);
    expect(needs(fixture('9000'), ['```json', '{}', '```'], server, shell)).toBe(false);
    expect(needs(fixture('9000'))).toBe(false);
  });

  test("a program is saved under the name its first line gives, else one of the test's own", () => {
    const [named, anonymous] = parseBlocks(
      'docs/platforms/sop.md',
      ['```js', '// sop-example.mjs — run with node', '```', '```ts', 'const a = 1;', '```'].join('\n'),
    );
    expect([programPath([named as never], 'js'), programPath([anonymous as never], 'ts')]).toEqual(['sop-example.mjs', 'doc-docs-platforms-sop-md-4.ts']);
  });
});

describe('output comparison', () => {
  test('lines match exactly; … stands for text within a line; a line of … for any number of lines', () => {
    expect(matchesOutput('a\nb\n', 'a\nb\n')).toBe(true);
    expect(matchesOutput('a\nb', 'a\nc')).toBe(false);
    expect(matchesOutput('a', 'a\nextra')).toBe(false);
    expect(matchesOutput('token …, done', 'token 5be24c70, done')).toBe(true);
    expect(matchesOutput('token …, done', 'token 5be\n24c70, done')).toBe(false);
    expect(matchesOutput('…\nTests 2 passed\n…', 'RUN v4\n\n Tests 2 passed\n')).toBe(false);
    expect(matchesOutput('…\n Tests 2 passed\n…', 'RUN v4\n\n Tests 2 passed\nDuration 1s\n')).toBe(true);
    expect(matchesOutput('x (y) [z] $1 ^*+?', 'x (y) [z] $1 ^*+?')).toBe(true);
    expect(matchesOutput('trailing  \n', 'trailing\n\n')).toBe(true);
  });
});
