import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { DEFAULT_PID_FILE } from '../process/detach.js';
import { addressOptions, type OptionTable } from '../options/option-spec.js';
import { probeHealth } from '../process/probe.js';
import { notOurSandbox } from '../process/process-state.js';
import { isAlive, listRecords, readRecord, RegistryError, type RunRecord } from '../process/run-registry.js';
import { resolveSettings } from '../options/settings.js';
import { configFileFor } from '../options/start-settings.js';
import { givenFlags, yargsOptions } from '../options/yargs-options.js';
import { terminal, setExitCode } from '../output/terminal.js';

const TABLE = {
  'pid-file': { ...addressOptions['pid-file'], defaultText: DEFAULT_PID_FILE, describe: 'The pid file of the sandbox to stop (what "start --detach" wrote)' },
  port: {
    ...addressOptions.port,
    default: undefined,
    describe: 'Stop the sandbox listening on this port instead (one started with "sandbox start" on this machine)',
  },
  'if-running': {
    kind: { type: 'boolean' },
    default: false,
    configurable: false,
    describe: 'Exit 0 when no sandbox runs there (a CI clean-up step after a start that failed)',
  },
  timeout: {
    kind: { type: 'integer', min: 1, unit: 'milliseconds' },
    default: 15000,
    configurable: false,
    describe: 'Milliseconds to wait for it to finish its in-flight requests and exit',
  },
} satisfies OptionTable;

type StopSettings = { 'pid-file'?: string; port?: number; 'if-running': boolean; timeout: number };

class StopError extends Error {}
/** Nothing runs where stop looked: an error, unless --if-running said that is fine. */
class NothingRuns extends StopError {
  constructor(
    message: string,
    /** What --if-running prints: only what was not found. */
    readonly found = message,
  ) {
    super(message);
  }
}

/**
 * Is this pid the sandbox of this record, and not a process that took the pid of one that died
 * without cleaning up? The sandbox's own health answer tells: it is up as long as the record says.
 */
async function sameSandbox(record: RunRecord): Promise<boolean> {
  if (!record.url) return false;
  const r = await probeHealth(record.url, 3000, record.certificate);
  return r.ok && typeof r.body.uptimeSeconds === 'number' && Math.abs((Date.now() - record.startedAt) / 1000 - r.body.uptimeSeconds) <= 3;
}

async function stopProcess(record: RunRecord, timeoutMs: number): Promise<string> {
  // The process itself must prove it is that sandbox (user, command line, start time); where /proc cannot tell, its health answer does.
  const notOurs = notOurSandbox(record.pid, record.startedAt);
  if (notOurs) throw new StopError(`${notOurs}; not stopping it`);
  if (process.platform !== 'linux' && !(await sameSandbox(record))) {
    throw new StopError(
      `pid ${record.pid} does not answer as the sandbox ${record.url ?? 'that was starting'}; not stopping it. If it is that sandbox, end it yourself: kill ${record.pid}`,
    );
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(record.pid)) {
    if (Date.now() > deadline)
      throw new StopError(
        `the sandbox (pid ${record.pid}) is still finishing its requests after ${timeoutMs / 1000} s; wait longer with --timeout, or end it at once: kill -9 ${record.pid}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
  return `stopped the sandbox at ${record.url} (pid ${record.pid})`;
}

async function byPidFile(pidFile: string, timeoutMs: number): Promise<string> {
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0)
    throw new StopError(`${pidFile}: expected a process id, found ${JSON.stringify(readFileSync(pidFile, 'utf8').trim())}`);
  if (!isAlive(pid)) {
    rmSync(pidFile, { force: true });
    return `nothing to stop: pid ${pid} (from ${pidFile}) is not running; removed the stale pid file`;
  }
  const record = readRecord(pid);
  if (!record) throw new StopError(`pid ${pid} (from ${pidFile}) is running but is not a sandbox started on this machine by this user; not stopping it`);
  return stopProcess(record, timeoutMs);
}

async function byPort(port: number, timeoutMs: number): Promise<string> {
  const record = listRecords().find((r) => r.boundPorts?.includes(port) && isAlive(r.pid));
  if (record) return stopProcess(record, timeoutMs);
  const answer = await probeHealth(`http://127.0.0.1:${port}`, 2000);
  if (answer.ok)
    throw new StopError(
      `a sandbox answers on port ${port}, but not one started with "sandbox start" by this user on this machine (in-process, in a container?); stop it where it was started`,
    );
  throw new NothingRuns(`no sandbox is listening on port ${port}`);
}

export const stopCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'stop',
  describe: 'Stop a sandbox started with "start --detach" (by its pid file) or any "sandbox start" (by --port); waits until it has exited',
  builder: (y: Argv) =>
    y
      .options(yargsOptions(TABLE))
      .example('$0 stop', `Stop the sandbox started with --detach from this folder (${DEFAULT_PID_FILE})`)
      .example('$0 stop --port 8848', 'Stop the sandbox on port 8848')
      .example('$0 stop --if-running', 'The same, exit 0 when nothing runs (a clean-up step that runs always)') as unknown as Argv<Record<string, unknown>>,
  handler: async (args: ArgumentsCamelCase<Record<string, unknown>>) => {
    const given = givenFlags(TABLE, args);
    const s = resolveSettings<StopSettings>(TABLE, given, { config: configFileFor({}) }).values;
    const pidFile = resolve(s['pid-file'] ?? DEFAULT_PID_FILE);
    try {
      let said: string;
      if (given.port === undefined && existsSync(pidFile)) said = await byPidFile(pidFile, s.timeout);
      else if (s.port !== undefined) said = await byPort(s.port, s.timeout);
      else
        throw new NothingRuns(
          `no ${s['pid-file'] ?? DEFAULT_PID_FILE} here (${process.cwd()}): nothing was started with "sandbox start --detach" from this folder; name the sandbox with --pid-file or --port`,
          `no ${s['pid-file'] ?? DEFAULT_PID_FILE} here (${process.cwd()})`,
        );
      terminal().stdout.write(`${said}\n`);
    } catch (e) {
      if (!(e instanceof StopError) && !(e instanceof RegistryError)) throw e;
      if (e instanceof NothingRuns && s['if-running']) {
        terminal().stdout.write(`nothing to stop: ${e.found}\n`);
        return;
      }
      terminal().stderr.write(`sandbox: ${e.message}\n`);
      setExitCode(1);
    }
  },
};
