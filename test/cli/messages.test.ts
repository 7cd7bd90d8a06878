import { rmSync } from 'node:fs';
import { runCliInProcess, type Ran } from '../helpers/cli.js';
import { cli, sandboxEnv } from './support/cli.js';

/**
 * Mistakes on the command line: what was wrong, what is accepted, the nearest thing that exists; exit 2.
 * The table runs in this process (the same dispatch, checks and messages as bin/sandbox.js, written to
 * strings); the spawned smoke tests at the end hold the real process to it: its streams and exit codes.
 */

// The spawned tests run with no SANDBOX_* variable; so does this process's part (Jest gives each file its own env).
beforeAll(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('SANDBOX_')) delete process.env[name];
});

const MISTAKES: [string[], string][] = [
  [['start', '--port', 'abc'], '--port abc: expected a port number from 0 to 65535 (0 picks a free one)'],
  [['start', '--port', '70000'], '--port 70000: expected a port number from 0 to 65535 (0 picks a free one)'],
  [['start', '--https-port', '-1'], '--https-port -1: expected a port number from 0 to 65535 (0 picks a free one)'],
  [['start', '--body-limit', '1MB'], '--body-limit 1MB: expected a whole number of bytes from 1 to 2147483647'],
  [['start', '--journal-size', '0'], '--journal-size 0: expected a whole number of requests from 1 to 1000000'],
  [['start', '--log-format', 'yaml'], '--log-format yaml: expected one of pretty, json'],
  [['start', '--seed', ''], '--seed: empty; give a value, or leave the option out'],
  [['start', '--port'], '--port needs a value ("sandbox start --help" describes it)'],
  [['start', '--scenarios-dir', 'my-scenarios'], '--scenarios-dir my-scenarios: no such folder'],
  [['start', '--tls-cert', 'cert.pem'], '--tls-cert cert.pem: no such file'],
  [['start', '--log-file', 'x.log'], '--log-file goes with --detach; in the foreground redirect the output instead (> sandbox.log 2>&1)'],
  [['health', '--wait', 'soon'], '--wait soon: expected a whole number of milliseconds, at least 0'],
  [['strat'], 'unknown command "strat"; did you mean "sandbox start"? ("sandbox --help" lists every command)'],
  [['start', '--prot', '9000'], 'unknown option --prot for "sandbox start"; did you mean --port? ("sandbox start --help" lists every option)'],
  [['start', '--fixture', 'a'], 'unknown option --fixture for "sandbox start"; did you mean --fixtures? ("sandbox start --help" lists every option)'],
  [['health', '--wiat', '5'], 'unknown option --wiat for "sandbox health"; did you mean --wait? ("sandbox health --help" lists every option)'],
  [['validate'], 'name the fixture or scenario files (or folders) to check, e.g. "sandbox validate fixtures/"'],
];

function expectMistake(r: Ran, message: string): void {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
  expect(r.stderr.startsWith(`sandbox: ${message}`)).toBe(true);
  // No Node internals: no stack, no "Received type number (NaN)", no error codes.
  expect(r.stderr).not.toMatch(/\n\s+at |NaN|ERR_/);
}

test.each(MISTAKES)('sandbox %j', async (args, message) => {
  expectMistake(await runCliInProcess(args), message);
});

const COMMANDS = ['start', 'stop', 'health', 'validate', 'export', 'sign', 'keys', 'compare'];

test('sandbox with no command prints the help, which lists every command', async () => {
  const r = await runCliInProcess([]);
  expect(r.code).toBe(2);
  const listed = [...r.stdout.matchAll(/^ {2}sandbox (\w+)/gm)].map((m) => m[1]);
  expect(listed).toEqual(COMMANDS);
});

test('--help works on every command', async () => {
  for (const command of COMMANDS) {
    const r = await runCliInProcess([command, '--help']);
    expect({
      command,
      code: r.code,
      usage: r.stdout.startsWith(`sandbox ${command}`),
      stderr: r.stderr,
    }).toEqual({
      command,
      code: 0,
      usage: true,
      stderr: '',
    });
  }
});

describe('spawned: the real process says the same, on its own streams, with its exit code', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    ({ dir, env } = sandboxEnv());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // One mistake caught by the fast start path (no yargs), one by yargs.
  test.each([MISTAKES[0], MISTAKES[12]])('sandbox %j', async (args, message) => {
    const r = await cli(args, { cwd: dir, env });
    expectMistake({ code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr }, message);
  });

  test('sandbox start --help prints the usage and exits 0', async () => {
    const r = await cli(['start', '--help'], { cwd: dir, env });
    expect({
      code: r.code,
      usage: r.stdout.startsWith('sandbox start'),
      stderr: r.stderr,
    }).toEqual({ code: 0, usage: true, stderr: '' });
  });
});
