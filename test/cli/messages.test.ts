import { rmSync } from 'node:fs';
import { cli, sandboxEnv } from './support/cli.js';

/** Mistakes on the command line: what was wrong, what is accepted, the nearest thing that exists; exit 2. */

let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  ({ dir, env } = sandboxEnv());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each([
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
])('sandbox %j', async (args, message) => {
  const r = await cli(args, { cwd: dir, env });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
  expect(r.stderr.startsWith(`sandbox: ${message}`)).toBe(true);
  // No Node internals: no stack, no "Received type number (NaN)", no error codes.
  expect(r.stderr).not.toMatch(/\n\s+at |NaN|ERR_/);
});

test('sandbox with no command prints the help, which lists every command', async () => {
  const r = await cli([], { cwd: dir, env });
  expect(r.code).toBe(2);
  const listed = [...r.stdout.matchAll(/^ {2}sandbox (\w+)/gm)].map((m) => m[1]);
  expect(listed).toEqual(['start', 'stop', 'health', 'validate', 'export', 'sign', 'keys', 'compare']);
});

test('--help works on every command', async () => {
  for (const command of ['start', 'stop', 'health', 'validate', 'export', 'sign', 'keys', 'compare']) {
    const r = await cli([command, '--help'], { cwd: dir, env });
    expect({ command, code: r.code, usage: r.stdout.startsWith(`sandbox ${command}`) }).toEqual({ command, code: 0, usage: true });
  }
});
