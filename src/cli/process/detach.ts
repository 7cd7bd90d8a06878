import { spawn } from 'node:child_process';
import { closeSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { packagePath } from '../../core/config/package-root.js';
import { jsonLine, setJsonOutput } from '../output/json-lines.js';
import { checkPidFile } from './pid-file.js';
import { openOwnFile } from './private-file.js';
import { shownPath } from '../output/shown-path.js';
import { envName, type StartSettings } from '../options/option-spec.js';
import { DETACHED_ENV, DETACHED_LOG_ENV, type ChildMessage } from './detached-child.js';

export const DEFAULT_PID_FILE = '.sandbox.pid';
export const DEFAULT_LOG_FILE = 'sandbox.log';
/** Longer than any start this project has seen (seconds at most); only a hung start waits this long. */
const READY_WITHIN_MS = 120_000;

const MAIN = packagePath('bin/sandbox.js');

/** The last lines of the log, for when the sandbox died without saying why over IPC. */
function tail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-10).join('\n');
  } catch {
    return '';
  }
}

/**
 * `sandbox start --detach`: start the sandbox as a process of its own (its own session, output to the
 * log file) and return once it is ready (exit 0) or has failed (exit 1, its error). The arguments go
 * to it as given, so it reads the same flags, variables and config file; DETACHED_ENV tells it to serve
 * rather than detach again, and SANDBOX_PID_FILE where to write its pid when no flag says so.
 */
export async function detach(s: StartSettings, argv: readonly string[]): Promise<void> {
  const json = s['log-format'] === 'json';
  setJsonOutput(json);
  const pidFile = resolve(s['pid-file'] ?? DEFAULT_PID_FILE);
  const logFile = resolve(s['log-file'] ?? DEFAULT_LOG_FILE);
  // Before the log is opened (and emptied): the sandbox already running from this folder keeps its own.
  checkPidFile(pidFile);
  const log = openOwnFile(logFile, '--log-file');
  const child = spawn(process.execPath, [...process.execArgv, MAIN, ...argv], {
    detached: true,
    stdio: ['ignore', log, log, 'ipc'],
    env: { ...process.env, [DETACHED_ENV]: '1', [DETACHED_LOG_ENV]: logFile, [envName('pid-file')]: pidFile },
  });
  closeSync(log);

  const outcome = await new Promise<ChildMessage | { type: 'exited'; code: number | null } | { type: 'timeout' }>((done) => {
    const timer = setTimeout(() => done({ type: 'timeout' }), READY_WITHIN_MS);
    child.once('message', (m: ChildMessage) => {
      clearTimeout(timer);
      done(m);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ type: 'exited', code });
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      done({ type: 'failed', message: `cannot start node: ${e.message}` });
    });
  });

  if (outcome.type === 'ready') {
    child.disconnect?.();
    child.unref();
    if (json) {
      const tls = outcome.tls && { ...outcome.tls, trust: undefined };
      process.stdout.write(jsonLine('info', `Sandbox ready at ${outcome.url}`, { event: 'ready', ...outcome, tls, logFile, pidFile }));
    } else {
      process.stdout.write(
        [
          `Sandbox ready at ${outcome.url} (pid ${outcome.pid}, in the background)`,
          ...(outcome.httpsUrl ? [`HTTPS          ${outcome.httpsUrl}`] : []),
          `dashboard      ${outcome.dashboard}`,
          `log            ${shownPath(logFile)} (credentials and base URLs are at its top)`,
          `pid file       ${shownPath(pidFile)}`,
          `stop it with   npx sandbox stop${s['pid-file'] ? ` --pid-file ${s['pid-file']}` : ''}`,
          ...(outcome.tls?.trust ?? []),
          '',
        ].join('\n'),
      );
    }
    return;
  }
  if (outcome.type === 'timeout') child.kill('SIGTERM');
  const why =
    outcome.type === 'failed'
      ? outcome.message
      : outcome.type === 'timeout'
        ? `the sandbox was not ready within ${READY_WITHIN_MS / 1000} s and was stopped`
        : `the sandbox exited (code ${outcome.code}) before it was ready`;
  const last = outcome.type === 'failed' ? '' : tail(logFile);
  const message = `${why}; its log: ${shownPath(logFile)}${last ? `\n${last}` : ''}`;
  process.stderr.write(json ? jsonLine('error', message) : `sandbox: ${message}\n`);
  process.exitCode = 1;
}
