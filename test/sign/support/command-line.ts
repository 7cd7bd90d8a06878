import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN, runCliInProcess, type Ran } from '../../helpers/cli.js';

/**
 * `sandbox <args>` two ways. In this process: the same dispatch, yargs checks, commands and messages as
 * bin/sandbox.js, for a few milliseconds where a spawned CLI costs about 2 s on a loaded machine. Spawned: the
 * real process, its streams and exit code, for the few tests that hold the real thing to the in-process one.
 */

export const inProcess = runCliInProcess;
export type { Ran };

const exec = promisify(execFile);

/** Run `sandbox <args>` as its own process, without blocking this one, which may serve the sandbox the command asks for its clock. */
export async function spawned(args: string[]): Promise<Ran> {
  try {
    const r = await exec(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/**
 * Both ways get this environment: the spawned process inherits it, and Jest gives each test file its own
 * process.env. No SANDBOX_* variable of whoever runs the tests reaches either.
 */
export function withoutSandboxVariables(): void {
  for (const name of Object.keys(process.env)) if (name.startsWith('SANDBOX_')) delete process.env[name];
}
