import { join } from 'node:path';
import { USER } from '../helpers/mantun.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { compareCli, mantunLogin, mantunTokenCall, overlayFile, recordingPair, scratch } from './flows.js';

/**
 * A recording holds exchanges where the platform did not handle the request: it could not be reached (the client
 * got the platform's own "system busy" from the forwarding sandbox, and the line says why), or it answered its own
 * "system busy". Neither says how the platform behaves: compare lists them as not compared, never as differences.
 */

const BUSY = { success: false, code: '10099', message: 'service is busy, try again later' };
const login = mantunLogin;

test('the platform stops answering mid-flow: the exchange it never answered is not compared, the others are', async () => {
  const dir = scratch('compare-unreachable-');
  const file = join(dir, 'mantun.jsonl');
  const { real, front } = await recordingPair(dir, undefined, file);
  try {
    expect((await login(front.sb.url, 'wrong-password')).body).toEqual({ success: false, code: '10004', message: 'uname or passwd is incorrect' });
    await real.close();
    // The client gets Mantun's own "system busy"; the journal says why.
    const busy = await login(front.sb.url, USER.passwd);
    expect([busy.status, busy.body]).toEqual([200, BUSY]);
    const journal = await front.http.get('/__sandbox/requests?platform=mantun&limit=1');
    expect(journal.body.requests[0].upstream.error).toMatch(/^refused: /);
  } finally {
    await front.close();
  }
  const run = await compareCli([file]);
  expect([run.status, run.stderr]).toEqual([0, '']);
  const [notCompared, summary, ...rest] = run.stdout.trim().split('\n');
  expect(notCompared).toMatch(/^not compared: line 2 mantun authverify2\.as: no answer was recorded \(refused: .+\)$/);
  expect([summary, rest]).toEqual(['no difference in 1 exchange(s)', []]);
}, 60_000);

test('the platform answers its own "system busy": that exchange is not compared, in text and in JSON', async () => {
  const dir = scratch('compare-busy-');
  const file = join(dir, 'mantun.jsonl');
  // The stand-in is overloaded on its token endpoint: its own busy answer, as when its store is down.
  const scenario = overlayFile(dir, 'busy-token.json', {
    faults: [{ id: 'busy-token', platform: 'mantun', endpoint: 'token.as', respond: { error: { mantun: 'service_unavailable' } } }],
  });
  const real = await startTestSandbox({ seed: 'the-real-platform', scenario: [scenario] });
  const front = await startTestSandbox({ upstream: [`mantun=${real.sb.url}`], record: file });
  try {
    await login(front.sb.url, 'wrong-password');
    const code = (await login(front.sb.url, USER.passwd)).body.code as string;
    const token = await mantunTokenCall(front.sb.url, code);
    expect([token.status, token.body]).toEqual([200, BUSY]);
  } finally {
    await front.close();
    await real.close();
  }
  const why = 'the platform answered that it was busy (code "10099"), not how it handles this request';
  const text = await compareCli([file]);
  expect([text.status, text.stdout, text.stderr]).toEqual([0, `not compared: line 3 mantun token.as: ${why}\nno difference in 2 exchange(s)\n`, '']);
  const json = await compareCli([file, '--json']);
  expect([json.status, json.stdout.trim()]).toEqual([0, JSON.stringify({ kind: 'not-compared', seq: 3, platform: 'mantun', endpoint: 'token.as', why })]);
}, 60_000);
