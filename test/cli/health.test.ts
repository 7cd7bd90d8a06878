import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { BIN } from '../helpers/cli.js';

/** Run the CLI asynchronously: the in-process sandbox must keep serving while the child waits for it. */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

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
    expect(r.stderr).toMatch(new RegExp(`^sandbox: not healthy at http://127\\.0\\.0\\.1:${port}/__sandbox/health \\(.*ECONNREFUSED.*\\)\\n$`));
  });
});
