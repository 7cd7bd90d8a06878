import { spawnSandbox } from '../helpers/cli.js';

describe('a reader that goes away', () => {
  test.each([[[]], [['--log-format', 'json']]])('closing the output pipe does not stop the sandbox (%j)', async (extra) => {
    const sb = await spawnSandbox(['start', '--port', '0', ...extra]);
    try {
      sb.proc.stdout!.destroy();
      // Requests make the sandbox log (a write into the closed pipe); it must keep serving.
      for (let i = 0; i < 5; i++) expect((await fetch(`${sb.url}/oauth/token.as`, { method: 'POST' })).status).toBe(400);
      await new Promise((r) => setTimeout(r, 200));
      expect((await fetch(`${sb.url}/__sandbox/health`)).status).toBe(200);
      expect(sb.proc.exitCode).toBeNull();
    } finally {
      sb.proc.kill('SIGTERM');
    }
  });
});
