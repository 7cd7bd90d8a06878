import { writeFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { OptionTable } from '../options/option-spec.js';
import { resolveSettings } from '../options/settings.js';
import { configFileFor } from '../options/start-settings.js';
import { givenFlags, yargsOptions } from '../options/yargs-options.js';

type ExportArgs = { url: string; session?: string; name?: string; out?: string; timeout: number; 'admin-token'?: string };

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

const TABLE = {
  url: { kind: { type: 'string' }, default: 'http://127.0.0.1:8848', describe: 'Base URL of the running sandbox' },
  session: { kind: { type: 'string' }, configurable: false, describe: 'Export this session instead of the default world' },
  name: { kind: { type: 'string' }, configurable: false, describe: 'Name written into the scenario file' },
  out: { kind: { type: 'path' }, alias: 'o', configurable: false, describe: 'Write to this file instead of standard output' },
  timeout: { kind: { type: 'integer', min: 1, unit: 'milliseconds' }, default: 10000, configurable: false, describe: 'Milliseconds to wait for the answer' },
  'admin-token': { kind: { type: 'string' }, describe: 'The admin token of a sandbox that requires one (bound to a non-loopback address)' },
} satisfies OptionTable;

export const exportCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'export',
  describe: 'Write the state, clock and active rules of a running sandbox as a scenario file; --scenario FILE reproduces it',
  builder: (y: Argv) =>
    y
      .options(yargsOptions(TABLE))
      .example('$0 export --url http://127.0.0.1:8848 -o bug-4711.json', 'Capture the sandbox as it is now')
      .example('$0 start --scenario bug-4711.json', 'Later, anywhere: the same state and the same answers') as unknown as Argv<Record<string, unknown>>,
  handler: async (args: ArgumentsCamelCase<Record<string, unknown>>) => {
    const s = resolveSettings<ExportArgs>(TABLE, givenFlags(TABLE, args), { config: configFileFor({}) }).values;
    const text = await exportScenarioFile(s);
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
