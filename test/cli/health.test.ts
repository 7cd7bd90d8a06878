import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { runCliAsync as cli } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';

describe('sandbox health', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());

  test('exit 0 when the sandbox answers', async () => {
    const r = await cli(['health', '--url', t.sb.url]);
    expect(r).toEqual({ status: 0, stdout: `ok ${t.sb.url}\n`, stderr: '' });
    const byPort = await cli(['health', '--port', String(t.sb.port)]);
    expect(byPort.status).toBe(0);
  });

  test('exit 1 with the reason when nothing listens', async () => {
    const port = await freePort();
    const r = await cli(['health', '--port', String(port)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `sandbox: not healthy at http://127.0.0.1:${port}/__sandbox/health (connect ECONNREFUSED 127.0.0.1:${port}); is it running? Start it with "sandbox start" (or "sandbox start --detach")\n`,
    );
  });
});
