import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { addressOptions, type OptionTable } from '../options/option-spec.js';
import { probeHealth } from '../process/probe.js';
import { isAlive, listRecords, readRecord, type RunRecord } from '../process/run-registry.js';
import { resolveSettings } from '../options/settings.js';
import { configFileFor } from '../options/start-settings.js';
import { givenFlags, yargsOptions } from '../options/yargs-options.js';
import { terminal, setExitCode } from '../output/terminal.js';

const TABLE = {
  url: { kind: { type: 'string' }, describe: 'Base URL of the sandbox (instead of --host/--port); https:// is checked against the sandbox certificate' },
  host: addressOptions.host,
  port: addressOptions.port,
  'port-file': { ...addressOptions['port-file'], describe: 'Read the port from this file (what "start --port-file" writes); waits for it to appear' },
  timeout: { kind: { type: 'integer', min: 1, unit: 'milliseconds' }, default: 2000, configurable: false, describe: 'Milliseconds to wait for one answer' },
  wait: {
    kind: { type: 'integer', min: 0, unit: 'milliseconds' },
    default: 0,
    configurable: false,
    describe:
      'Keep trying for this many milliseconds before giving up (for CI start-up); gives up at once, with the reason, if the sandbox it waits for has exited',
  },
} satisfies OptionTable;

type HealthSettings = { url?: string; host: string; port: number; 'port-file'?: string; timeout: number; wait: number };

/** Records that old were left by earlier runs: they say nothing about the sandbox being waited for now. */
const EARLIER_RUN_MS = 60_000;

/**
 * The sandbox being waited for, as the run records know it: the newest started for this port file, or
 * for this port (bound, or asked for from this folder). Undefined when no sandbox was started for it from this machine (then only the
 * port can tell).
 */
function startedFor(target: { port?: number; portFile?: string }): RunRecord | undefined {
  // A start that never bound its port is this project's only if it was made from here: another project's
  // failed start on the same port number says nothing about the sandbox this one waits for.
  const cwd = process.cwd();
  return listRecords().find((r) =>
    target.portFile
      ? r.portFile === target.portFile
      : target.port !== undefined &&
        target.port !== 0 &&
        (r.boundPorts?.includes(target.port) || (r.state !== 'ready' && r.port === target.port && r.cwd === cwd)),
  );
}

/** Why waiting is pointless: the sandbox was started for this target and has exited (or failed) since. */
function deadSandbox(found: RunRecord | undefined, waitingSince: number, seenAlive: Set<number>): string | undefined {
  let record = found;
  if (!record || isAlive(record.pid)) {
    if (record) seenAlive.add(record.pid);
    return undefined;
  }
  // Read again: it may have written why it failed since this record was read.
  record = readRecord(record.pid) ?? record;
  const recent = seenAlive.has(record.pid) || (record.endedAt ?? record.startedAt) >= waitingSince - EARLIER_RUN_MS;
  if (!recent) return undefined;
  const log = record.logFile ? `; its log: ${record.logFile}` : '';
  if (record.state === 'failed') return `the sandbox started for it (pid ${record.pid}) failed: ${record.error}${log}`;
  return `the sandbox started for it (pid ${record.pid}) has exited${record.state === 'ready' ? '' : ' before it was ready'}${log || ' (see its output)'}`;
}

function readPort(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const port = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** A dependency-free health probe (Docker HEALTHCHECK, CI wait loops): exit 0 when the sandbox answers 200. */
export const healthCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'health',
  describe: 'Check that a running sandbox is ready (exit 0) or not (exit 1); no curl needed',
  builder: (y: Argv) =>
    y
      .options(yargsOptions(TABLE))
      .example('$0 health --port 8848', 'Exit 0 when the sandbox on port 8848 is ready')
      .example('$0 health --port-file .sandbox-port --wait 30000', 'Wait up to 30 s for the one started with that --port-file') as unknown as Argv<
      Record<string, unknown>
    >,
  handler: async (args: ArgumentsCamelCase<Record<string, unknown>>) => {
    const given = givenFlags(TABLE, args);
    const s = resolveSettings<HealthSettings>(TABLE, given, { config: configFileFor({}) }).values;
    const portFile = s['port-file'] && resolve(s['port-file']);
    const waitingSince = Date.now();
    const deadline = waitingSince + s.wait;
    const seenAlive = new Set<number>();
    let last = '';
    let announced = false;
    for (;;) {
      const port = portFile ? readPort(portFile) : s.port;
      const record = startedFor({ port: s.url ? Number(new URL(s.url).port) || undefined : port, portFile });
      // A sandbox started with --tls serves HTTPS on its main port: probe it the way it serves.
      const scheme = record?.url?.startsWith('https:') && record.boundPorts?.[0] === port ? 'https' : 'http';
      // A sandbox bound to every interface (0.0.0.0, as in the Docker image) is reached on loopback.
      const host = ['0.0.0.0', '::', '[::]'].includes(s.host) ? '127.0.0.1' : s.host;
      const base = (s.url ?? (port === undefined ? undefined : `${scheme}://${host}:${port}`))?.replace(/\/+$/, '');
      if (base) {
        const r = await probeHealth(base, s.timeout, record?.certificate);
        if (r.ok) {
          terminal().stdout.write(`ok ${base}\n`);
          return;
        }
        last = `${base}/__sandbox/health (${r.why})`;
      } else last = `${portFile}: no port written yet`;
      const dead = deadSandbox(record, waitingSince, seenAlive);
      if (dead) {
        terminal().stderr.write(`sandbox: not healthy at ${last}: ${dead}\n`);
        setExitCode(1);
        return;
      }
      if (Date.now() >= deadline) break;
      if (!announced && s.wait >= 1000) {
        terminal().stderr.write(`waiting up to ${Math.round(s.wait / 1000)} s for the sandbox at ${base ?? portFile} ...\n`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const hint = / ECONNREFUSED|no port written/.test(last) ? '; is it running? Start it with "sandbox start" (or "sandbox start --detach")' : '';
    terminal().stderr.write(`sandbox: not healthy at ${last}${hint}\n`);
    setExitCode(1);
  },
};
