import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli.js';
import { compareCli, mantunFlow, recordingPair, scratch } from './flows.js';

/**
 * What compare makes of what it is given: bad input exits 2 with what to do; what the sandbox could not know is
 * reported as data; what no setting corrects is listed for a bug report.
 */

const builtinMantun = JSON.parse(readFileSync(new URL('../../fixtures/mantun.json', import.meta.url), 'utf8')) as {
  mantun: { projects: Record<string, unknown>[] };
};

let dir: string;
let file: string;
beforeAll(async () => {
  dir = scratch('compare-input-');
  file = join(dir, 'mantun.jsonl');
  // The real account's project has a name of its own: data the sandbox cannot know.
  const projects = builtinMantun.mantun.projects.map((p, i) => (i === 0 ? { ...p, projectName: '真实项目' } : p));
  const { real, front } = await recordingPair(dir, { mantun: { projects } }, file);
  try {
    await mantunFlow(front.sb.url, () => real.sb.clock.now());
  } finally {
    await front.close();
    await real.close();
  }
}, 60_000);

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test('a value only the real account holds is reported as data, and does not fail the comparison', async () => {
  const run = await compareCli([file]);
  expect([run.status, run.stderr]).toEqual([0, '']);
  expect(run.stdout).toBe(
    'data mantun router.as GET_PROJECTS $.data[0].projectName: real "真实项目", sandbox "Sandbox demo project" — data of the real account\n' +
      'no behaviour difference in 5 exchange(s); the "data" lines are values only the real account holds\n',
  );
}, 60_000);

test('a difference no setting corrects is listed for a bug report; --write-fixture writes no setting for it', async () => {
  // A platform that names the field otherwise: nothing in the fixtures changes a field's name.
  const edited = readFileSync(file, 'utf8').replace('"tokenType":', '"token_type":');
  const recording = write('renamed.jsonl', edited);
  const overlay = join(dir, 'none.json');
  const run = await compareCli([recording, '--write-fixture', overlay]);
  expect([run.status, run.stderr]).toEqual([1, '']);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toContain('mantun token.as $.data.token_type: real "Bearer" (string), sandbox missing');
  expect(lines).toContain('mantun token.as $.data.tokenType: real missing, sandbox "Bearer" (string)');
  expect(lines).toContain("2 difference(s) no fixture setting corrects; paste this into a bug report with the recording's lines:");
  expect(lines).toContain('  line 3: mantun token.as $.data.token_type: real "Bearer" (string), sandbox missing');
  expect(JSON.parse(readFileSync(overlay, 'utf8'))).toEqual({});
}, 60_000);

test.each([
  ['no such file', ['compare', '/nonexistent/recording.jsonl'], 'sandbox: cannot read the recording /nonexistent/recording.jsonl: no such file\n'],
  [
    'no recording named',
    ['compare'],
    'sandbox: name the recording to compare, e.g. "sandbox compare mantun.jsonl" (written by "sandbox start --upstream ... --record mantun.jsonl")\n',
  ],
])('bad input exits 2 and says what to do (the real bin, spawned): %s', async (_what, args, stderr) => {
  const run = await runCliAsync(args);
  expect([run.status, run.stdout, run.stderr]).toEqual([2, '', stderr]);
});

test('a file that is not a recording, of another version, empty or hand-broken: exit 2 naming the line', async () => {
  const cases: [string, string][] = [
    ['hello\n', 'not a JSON line; a recording is what "sandbox start --record FILE" writes (docs/parity.md)'],
    ['{"format":"har","version":1}\n', '"format" must be "sandbox-recording"; this is not a recording written by "sandbox start --record"'],
    ['{"format":"sandbox-recording","version":2}\n', 'recording version 2 is not one this sandbox reads (it reads version 1)'],
  ];
  for (const [i, [text, message]] of cases.entries()) {
    const path = write(`bad-${i}.jsonl`, text);
    const run = await compareCli([path]);
    expect([run.status, run.stdout, run.stderr]).toEqual([2, '', `sandbox: ${path}:1: ${message}\n`]);
  }
  const empty = write('empty.jsonl', '\n');
  expect((await compareCli([empty])).stderr).toBe(
    `sandbox: ${empty} holds no exchange: record a flow first with "sandbox start --upstream ... --record ${empty}"\n`,
  );
  const [first, ...rest] = readFileSync(file, 'utf8').trim().split('\n');
  const broken = JSON.parse(first!) as { request: { body: unknown } };
  broken.request.body = { form: 'client_id=1' };
  const path = write('broken.jsonl', [...rest, JSON.stringify(broken)].join('\n'));
  const run = await compareCli([path]);
  expect([run.status, run.stderr]).toEqual([
    2,
    `sandbox: ${path}:5: "request.body.form" must be a list of [name, value] pairs (the recording format is in docs/parity.md)\n`,
  ]);
}, 60_000);

test('a fixture overlay that does not load, and a --write-fixture folder that does not exist: exit 2', async () => {
  const bad = write('bad-fixture.json', JSON.stringify({ mantun: { authverifyFailureSuccess: 'yes' } }));
  const run = await compareCli([file, '--fixtures', bad]);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/^sandbox: invalid fixture or scenario: .*authverifyFailureSuccess.*expected "boolean" \(false\) or "string" \("false"\)/);
  const nowhere = await compareCli([file, '--write-fixture', join(dir, 'missing', 'overlay.json')]);
  expect([nowhere.status, nowhere.stdout, nowhere.stderr]).toEqual([
    2,
    '',
    `sandbox: cannot write --write-fixture ${join(dir, 'missing', 'overlay.json')}: its folder does not exist\n`,
  ]);
}, 60_000);

test('a token issued before the recording began: what the sandbox answers to it is data it could not know, not behaviour', async () => {
  // The recording starts at the GET_PROJECTS call: the access and refresh tokens it sends were never seen issued.
  const kept = readFileSync(file, 'utf8').trim().split('\n').slice(3);
  const run = await compareCli([write('late.jsonl', `${kept.join('\n')}\n`), '--json']);
  expect([run.status, run.stderr]).toEqual([0, '']);
  const found = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; endpoint: string; path: string; why: string });
  expect(found.length).toBeGreaterThan(0);
  expect(new Set(found.map((d) => `${d.kind} ${d.endpoint} ${d.why}`))).toEqual(
    new Set([
      'data router.as the request carried a code or token the recording never showed issued (before the recording began?)',
      'data refresh.as the request carried a code or token the recording never showed issued (before the recording began?)',
    ]),
  );
  expect(found.map((d) => `${d.endpoint} ${d.path}`)).toContain('router.as $.success');
}, 60_000);

test('an exchange the platform never answered is listed as not compared, in text and in JSON', async () => {
  const [first, ...rest] = readFileSync(file, 'utf8').trim().split('\n');
  const unanswered = JSON.parse(first!) as { response?: unknown; upstream: { error?: string } };
  delete unanswered.response;
  unanswered.upstream.error = 'refused: connect ECONNREFUSED 127.0.0.1:9';
  const path = write('unanswered.jsonl', `${[JSON.stringify(unanswered), ...rest].join('\n')}\n`);
  const text = await compareCli([path]);
  expect([text.status, text.stderr]).toEqual([0, '']);
  expect(text.stdout.split('\n')).toContain('not compared: line 1 mantun authverify2.as: no answer was recorded (refused: connect ECONNREFUSED 127.0.0.1:9)');
  const json = await compareCli([path, '--json']);
  expect(
    json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown),
  ).toContainEqual({
    kind: 'not-compared',
    seq: 1,
    platform: 'mantun',
    endpoint: 'authverify2.as',
    why: 'no answer was recorded (refused: connect ECONNREFUSED 127.0.0.1:9)',
  });
}, 60_000);
