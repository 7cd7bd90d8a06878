import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually, spawnSandbox, startCli, type Spawned } from '../helpers/cli.js';
import { MantunClient } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/** `sandbox start` as a user runs it: --upstream and --record from the environment and from sandbox.config.json. */

let real: TestSandbox;
const started: Spawned[] = [];
beforeAll(async () => {
  real = await startTestSandbox({ seed: 'the-real-platform' });
});
afterAll(async () => {
  for (const s of started) await s.stop();
  await real?.close();
});

test('SANDBOX_UPSTREAM: the flow goes to the real platform, and the log line says upstream and how long', async () => {
  const s = await spawnSandbox(['start', '--port', '0'], 15_000, { SANDBOX_UPSTREAM: `mantun=${real.sb.url}` });
  started.push(s);
  const tokens = await new MantunClient(request(s.url)).tokens();
  expect(((await real.http.get('/__sandbox/tokens')).body as { tokens: { value: string }[] }).tokens.map((t) => t.value)).toContain(tokens.accessToken);
  const base = real.sb.url.replace(/\/$/, '');
  expect(s.output()).toContain(`mantun: forwarded to ${real.sb.url}`);
  const line = await eventually('the token.as log line', () =>
    s
      .output()
      .split('\n')
      .find((l) => l.includes('mantun/token.as')),
  );
  expect(line).toMatch(
    new RegExp(`^POST /oauth/token\\.as → 200 mantun/token\\.as [\\d.]+ms — upstream ${base.replace(/\./g, '\\.')}/oauth/token\\.as answered in [\\d.]+ ms$`),
  );
});

test('sandbox.config.json: "upstream" a list and "record" a path relative to the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'upstream-config-'));
  writeFileSync(join(dir, 'sandbox.config.json'), JSON.stringify({ port: 0, upstream: [`usercenter=${real.sb.url}`], record: 'rec/usercenter.jsonl' }));
  const s = await startCli(['start'], { cwd: dir, env: { ...process.env } });
  started.push(s);
  const res = await request(s.url).post('/user/checkOauthToken').send({ accessToken: 'garbage' });
  expect(res.body).toMatchObject({ status: 0 });
  const lines = await eventually('the recording', () => {
    try {
      return readFileSync(join(dir, 'rec', 'usercenter.jsonl'), 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  });
  const line = JSON.parse(lines!.split('\n')[0]!) as { platform: string; endpoint: string; response: { status: number } };
  expect([line.platform, line.endpoint, line.response.status]).toEqual(['usercenter', 'checkOauthToken', 200]);
});

test('a bad --upstream stops start-up with what would work', async () => {
  const s = spawnSandbox(['start', '--port', '0', '--upstream', 'mantun'], 15_000);
  await expect(s).rejects.toThrow(
    '--upstream "mantun": expected <platform>=<base URL>, e.g. mantun=https://open.snd02.com (platforms: mantun, usercenter, sop, zjrc).',
  );
});
