import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, freePort, sandboxEnv, startSandbox } from './support/cli.js';

/** What a CI job's steps meet: a clean-up stop after a failed start, an export by port file, a checked config file, a misspelt variable. */

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  ({ dir, env } = sandboxEnv());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('stop --if-running', () => {
  test('exits 0 when no pid file is there, saying so; without it the same call exits 1', async () => {
    expect(await cli(['stop', '--if-running'], { cwd: dir, env })).toEqual({ code: 0, stdout: `nothing to stop: no .sandbox.pid here (${dir})\n`, stderr: '' });
    expect((await cli(['stop'], { cwd: dir, env })).code).toBe(1);
  });

  test('exits 0 when nothing listens on --port', async () => {
    const port = await freePort();
    expect(await cli(['stop', '--if-running', '--port', String(port)], { cwd: dir, env })).toEqual({
      code: 0,
      stdout: `nothing to stop: no sandbox is listening on port ${port}\n`,
      stderr: '',
    });
  });

  test('still stops a sandbox that runs', async () => {
    const sb = await startSandbox(['--port', '0', '--quiet'], { cwd: dir, env });
    const r = await cli(['stop', '--if-running', '--port', new URL(sb.url).port], { cwd: dir, env });
    expect(r).toEqual({ code: 0, stdout: `stopped the sandbox at ${sb.url} (pid ${sb.proc.pid})\n`, stderr: '' });
    expect(sb.proc.exitCode ?? (await sb.exited)).toBe(0);
  });
});

describe('export finds the sandbox as health and stop do', () => {
  test('by --port-file, and by .sandbox-port when nothing else says where', async () => {
    const sb = await startSandbox(['--port', '0', '--quiet', '--port-file', '.sandbox-port'], { cwd: dir, env });
    try {
      const byFile = await cli(['export', '--port-file', '.sandbox-port', '--name', 'ci'], { cwd: dir, env });
      expect(byFile.code).toBe(0);
      expect(JSON.parse(byFile.stdout)).toMatchObject({ name: 'ci', $schema: expect.stringContaining('scenario.schema.json') });
      const byDefault = await cli(['export', '--name', 'ci2'], { cwd: dir, env });
      expect(byDefault.code).toBe(0);
      expect(JSON.parse(byDefault.stdout)).toMatchObject({ name: 'ci2' });
    } finally {
      expect(await sb.stop()).toBe(0);
    }
  });

  test('a --port-file that is not there: exit 2 and what writes it', async () => {
    expect(await cli(['export', '--port-file', 'nope'], { cwd: dir, env })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sandbox: --port-file nope: no such file; is the sandbox running? ("sandbox start --port-file nope" writes it once it listens)\n',
    });
  });
});

describe('validate sandbox.config.json', () => {
  test('accepts the config file the docs describe, with its $schema line', async () => {
    writeFileSync(
      join(dir, 'sandbox.config.json'),
      JSON.stringify({ $schema: './node_modules/oauth-platform-sandbox/schemas/config.schema.json', port: 9000, seed: 'ci', quiet: true, fixtures: [] }),
    );
    expect(await cli(['validate', 'sandbox.config.json'], { cwd: dir, env })).toEqual({
      code: 0,
      stdout: `ok  ${join(dir, 'sandbox.config.json')} (config)\n`,
      stderr: '',
    });
  });

  test('a config file under another name is told apart by its $schema; its mistakes are those start would report', async () => {
    writeFileSync(join(dir, 'ci.json'), JSON.stringify({ $schema: 'schemas/config.schema.json', prot: 9000 }));
    writeFileSync(join(dir, 'sandbox.config.json'), JSON.stringify({ port: 'abc' }));
    expect(await cli(['validate', 'ci.json', 'sandbox.config.json'], { cwd: dir, env })).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        `ci.json: unknown option "prot"; did you mean "port"? (the keys are the option names of "sandbox start --help")`,
        'sandbox.config.json: "port": "abc": expected a port number from 0 to 65535 (0 picks a free one)',
        '2 of 2 file(s) invalid',
        '',
      ].join('\n'),
    });
  });
});

describe('SANDBOX_* variables that no option reads', () => {
  test('warn at start, with the option meant', async () => {
    const sb = await startSandbox(['--port', '0', '--quiet'], { cwd: dir, env: { ...env, SANDBOX_PROT: '9000', SANDBOX_FIXTRUES: 'x' } });
    try {
      expect(sb.output()).toContain(
        'warning: SANDBOX_FIXTRUES is not an option of the sandbox and is ignored; did you mean SANDBOX_FIXTURES? ("sandbox start --help" lists the options)\n',
      );
      expect(sb.output()).toContain('warning: SANDBOX_PROT is not an option of the sandbox and is ignored; did you mean SANDBOX_PORT?');
    } finally {
      expect(await sb.stop()).toBe(0);
    }
  });

  test('known variables, those of other commands, and names close to no option (a variable of your own) give no warning', async () => {
    const sb = await startSandbox(['--quiet'], {
      cwd: dir,
      env: { ...env, SANDBOX_PORT: '0', SANDBOX_URL: 'http://127.0.0.1:1', SANDBOX_BASE_URL: 'http://127.0.0.1:1', SANDBOX_TEST_WORKER_REDIS: 'x' },
    });
    try {
      expect(sb.output()).not.toContain('warning:');
    } finally {
      expect(await sb.stop()).toBe(0);
    }
  });
});
