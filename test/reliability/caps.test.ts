import { Sandbox } from '../../src/sandbox.js';
import { runCliAsync } from '../helpers/cli.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { healthAnswers } from '../security/hostile.js';

/**
 * Review finding M4/M5/L4's common ground: every store a client can grow has a cap, documented and
 * configurable, and each refusal names the cap and how to raise it. (Armed fault rules:
 * test/security/fault-rules.test.ts; connections: connections.test.ts; event streams:
 * event-stream-stall.test.ts.)
 */

test('sessions: --max-sessions sets the cap; the refusal names it and how to raise it; ending one makes room', async () => {
  const t = await startTestSandbox({ maxSessions: 3 });
  try {
    for (const id of ['a', 'b', 'c']) await t.http.post('/__sandbox/sessions').send({ id }).expect(201);
    const full = await t.http.post('/__sandbox/sessions').send({ id: 'd' });
    expect([full.status, full.body]).toEqual([
      429,
      {
        error: 'too_many_sessions',
        message:
          '3 sessions are open, the cap (--max-sessions, maxSessions); end the ones you are done with (DELETE /__sandbox/sessions/<id>) or start the sandbox with a higher --max-sessions.',
      },
    ]);
    expect(t.sb.sessions.list()).toEqual(['a', 'b', 'c']);
    await healthAnswers(t.sb.url);
    await t.http.delete('/__sandbox/sessions/a').expect(204);
    await t.http.post('/__sandbox/sessions').send({ id: 'd' }).expect(201);
  } finally {
    await t.close();
  }
});

test('the journal keeps --journal-size exchanges, oldest dropped first', async () => {
  const t = await startTestSandbox({ journalSize: 5 });
  try {
    for (let i = 0; i < 12; i++) await t.http.post('/oauth/authverify2.as').type('form').send(`state=${i}`);
    const listed = await t.http.get('/__sandbox/requests');
    expect(listed.body.count).toBe(5);
  } finally {
    await t.close();
  }
});

test.each([
  [{ journalSize: -1 }, '--journal-size (journalSize) must be a whole number from 1 to 1000000, got -1.'],
  [{ journalSize: Number.NaN }, '--journal-size (journalSize) must be a whole number from 1 to 1000000, got NaN.'],
  [{ maxSessions: 0 }, '--max-sessions (maxSessions) must be a whole number from 1 to 1000000, got 0.'],
  [{ maxFaults: 1.5 }, '--max-faults (maxFaults) must be a whole number from 1 to 1000000, got 1.5.'],
  [{ maxConnections: 1e12 }, '--max-connections (maxConnections) must be a whole number from 1 to 1000000, got 1000000000000.'],
  [{ bodyLimit: 0 }, '--body-limit (bodyLimit) must be a whole number from 1 to 2147483647, got 0.'],
  [{ headersTimeout: 40_000, requestTimeout: 30_000 }, 'headersTimeout (40000 ms) must not be longer than requestTimeout (30000 ms).'],
])('an option out of range, %j, is refused at start, naming it', async (options, message) => {
  await expect(Sandbox.create({ port: 0, ...options })).rejects.toThrow(message);
});

test('from the command line: one line naming the option and its range, exit 2 (a usage error), nothing started', async () => {
  const r = await runCliAsync(['start', '--port', '0', '--max-sessions', '-5']);
  expect(r).toEqual({ status: 2, stdout: '', stderr: 'sandbox: --max-sessions -5: expected a whole number of sessions from 1 to 1000000\n' });
  const over = await runCliAsync(['start', '--port', '0', '--max-connections', '1000001']);
  expect(over).toEqual({ status: 2, stdout: '', stderr: 'sandbox: --max-connections 1000001: expected a whole number of connections from 1 to 1000000\n' });
});
