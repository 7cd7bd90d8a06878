import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError } from '../../core/errors/usage-error.js';
import { addressOptions, type OptionTable } from '../options/option-spec.js';
import { resolveSettings } from '../options/settings.js';
import { configFileFor } from '../options/start-settings.js';
import { givenFlags, yargsOptions } from '../options/yargs-options.js';

type ExportArgs = {
  url: string;
  host: string;
  port?: number;
  'port-file'?: string;
  session?: string;
  name?: string;
  out?: string;
  timeout: number;
  'admin-token'?: string;
};

/** Fetch GET /__sandbox/export from a running sandbox and write the scenario file. */
export async function exportScenarioFile(args: Pick<ExportArgs, 'url' | 'session' | 'name' | 'timeout' | 'admin-token'>): Promise<string> {
  const base = args.url.replace(/\/+$/, '');
  const target = `${base}${args.session ? `/s/${encodeURIComponent(args.session)}` : ''}/__sandbox/export${args.name ? `?name=${encodeURIComponent(args.name)}` : ''}`;
  let res: Response;
  try {
    const headers: Record<string, string> = args['admin-token'] ? { authorization: `Bearer ${args['admin-token']}` } : {};
    res = await fetch(target, { headers, signal: AbortSignal.timeout(args.timeout) });
  } catch (e) {
    const why = ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message;
    throw new Error(`cannot reach the sandbox at ${base} (${why}); is it running? Start it with "sandbox start" or point --url at it.`);
  }
  const text = await res.text();
  if (res.status !== 200) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: show the text as it came
    }
    const hint = res.status === 401 && !args['admin-token'] ? ' (pass the admin token the sandbox printed at start with --admin-token)' : '';
    throw new Error(`export failed: HTTP ${res.status} from ${target}: ${message}${hint}`);
  }
  return text;
}

/** The port file `start --port 0 --port-file .sandbox-port` writes, as the docs name it: read when nothing else says where. */
const CONVENTIONAL_PORT_FILE = '.sandbox-port';

const TABLE = {
  url: { kind: { type: 'string' }, describe: 'Base URL of the running sandbox (instead of --host/--port/--port-file)' },
  host: addressOptions.host,
  port: { ...addressOptions.port, default: undefined, defaultText: '8848' },
  'port-file': {
    ...addressOptions['port-file'],
    defaultText: `${CONVENTIONAL_PORT_FILE} when it exists`,
    describe: 'Read the port from this file (what "start --port-file" writes)',
  },
  session: { kind: { type: 'string' }, configurable: false, describe: 'Export this session instead of the default world' },
  name: { kind: { type: 'string' }, configurable: false, describe: 'Name written into the scenario file' },
  out: { kind: { type: 'path' }, alias: 'o', configurable: false, describe: 'Write to this file instead of standard output' },
  timeout: { kind: { type: 'integer', min: 1, unit: 'milliseconds' }, default: 10000, configurable: false, describe: 'Milliseconds to wait for the answer' },
  'admin-token': { kind: { type: 'string' }, describe: 'The admin token of a sandbox that requires one (bound to a non-loopback address)' },
} satisfies OptionTable;

/** Where the sandbox is, as health and stop find it: --url, else --port, else the port file, else 8848. */
function baseUrl(s: ExportArgs): string {
  if (s.url) return s.url;
  const host = ['0.0.0.0', '::', '[::]'].includes(s.host) ? '127.0.0.1' : s.host.includes(':') ? `[${s.host}]` : s.host;
  if (s.port !== undefined) return `http://${host}:${s.port}`;
  const file = s['port-file'] ?? (existsSync(CONVENTIONAL_PORT_FILE) ? CONVENTIONAL_PORT_FILE : undefined);
  if (file === undefined) return `http://${host}:${addressOptions.port.default}`;
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8').trim();
  } catch {
    throw new UsageError(`--port-file ${file}: no such file; is the sandbox running? ("sandbox start --port-file ${file}" writes it once it listens)`);
  }
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${file}: expected a port number, found ${JSON.stringify(text)}`);
  return `http://${host}:${port}`;
}

export const exportCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'export',
  describe: 'Write the state, clock and active rules of a running sandbox as a scenario file; --scenario FILE reproduces it',
  builder: (y: Argv) =>
    y
      .options(yargsOptions(TABLE))
      .example('$0 export --url http://127.0.0.1:8848 -o bug-4711.json', 'Capture the sandbox as it is now')
      .example('$0 export --port-file .sandbox-port -o bug.json', 'The sandbox started with that --port-file (read by default when it exists)')
      .example('$0 start --scenario bug-4711.json', 'Later, anywhere: the same state and the same answers') as unknown as Argv<Record<string, unknown>>,
  handler: async (args: ArgumentsCamelCase<Record<string, unknown>>) => {
    const s = resolveSettings<ExportArgs>(TABLE, givenFlags(TABLE, args), { config: configFileFor({}) }).values;
    const text = await exportScenarioFile({ ...s, url: baseUrl(s) });
    if (!s.out) {
      process.stdout.write(text);
      return;
    }
    writeFileSync(s.out, text);
    const file = JSON.parse(text) as { state?: { tokens?: unknown[] }; faults?: unknown[] };
    process.stderr.write(
      `wrote ${s.out}: ${file.state?.tokens?.length ?? 0} token(s), ${file.faults?.length ?? 0} fault rule(s); reproduce with: sandbox start --scenario ${s.out}\n`,
    );
  },
};
