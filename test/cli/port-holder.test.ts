import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cli, freePort, sandboxEnv, startSandbox } from './support/cli.js';

/** Which sandbox holds a port, and which project a failed start belongs to. */

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('"port in use" names the sandbox that holds it: its pid, its project folder and URL, and how to stop it', async () => {
  const project = join(dir, 'project-a');
  mkdirSync(project);
  const a = await startSandbox(['--port', '0', '--quiet'], { cwd: project, env });
  try {
    const port = new URL(a.url).port;
    const r = await cli(['start', '--port', port, '--quiet'], { cwd: dir, env });
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 1,
      stderr: `sandbox: cannot listen: port ${port} on 127.0.0.1 is already in use by another sandbox (pid ${a.proc.pid}, started in ${project}, ${a.url}); stop it with "sandbox stop --port ${port}" (pick another with --port, or --port 0 for a free one)\n`,
    });
  } finally {
    expect(await a.stop()).toBe(0);
  }
});

test('a port held by something else: the message stays as it was', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const r = await cli(['start', '--port', String(port), '--quiet'], { cwd: dir, env });
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 1,
      stderr: `sandbox: cannot listen: port ${port} on 127.0.0.1 is already in use (pick another with --port, or --port 0 for a free one)\n`,
    });
  } finally {
    server.close();
  }
});

test("health never blames another project's failed start on the same port; its own project's, it does", async () => {
  const [x, y] = [join(dir, 'project-x'), join(dir, 'project-y')];
  mkdirSync(x);
  mkdirSync(y);
  const port = String(await freePort());
  expect((await cli(['start', '--port', port, '--fixtures', 'missing-fixtures', '--quiet'], { cwd: x, env })).code).toBe(1);
  const elsewhere = await cli(['health', '--port', port], { cwd: y, env });
  expect(elsewhere.stderr).toBe(
    `sandbox: not healthy at http://127.0.0.1:${port}/__sandbox/health (connect ECONNREFUSED 127.0.0.1:${port}); is it running? Start it with "sandbox start" (or "sandbox start --detach")\n`,
  );
  const here = await cli(['health', '--port', port], { cwd: x, env });
  expect(here.stderr).toMatch(/: the sandbox started for it \(pid \d+\) failed: invalid fixture or scenario: missing-fixtures: no such file or directory\n$/);
});
