import { writeFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';

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

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: 'Write the state, clock and active rules of a running sandbox as a scenario file; --scenario FILE reproduces it',
  builder: (y: Argv) =>
    y
      .options({
        url: { type: 'string', default: 'http://127.0.0.1:8848', describe: 'Base URL of the running sandbox' },
        session: { type: 'string', describe: 'Export this session instead of the default world' },
        name: { type: 'string', describe: 'Name written into the scenario file' },
        out: { alias: 'o', type: 'string', describe: 'Write to this file instead of standard output' },
        timeout: { type: 'number', default: 10000, describe: 'Milliseconds to wait for the answer' },
        'admin-token': { type: 'string', describe: 'The admin token of a sandbox that requires one (bound to a non-loopback address)' },
      })
      .example('$0 export --url http://127.0.0.1:8848 -o bug-4711.json', 'Capture the sandbox as it is now')
      .example('$0 start --scenario bug-4711.json', 'Later, anywhere: the same state and the same answers') as unknown as Argv<ExportArgs>,
  handler: async (args: ArgumentsCamelCase<ExportArgs>) => {
    const text = await exportScenarioFile(args);
    if (!args.out) {
      process.stdout.write(text);
      return;
    }
    writeFileSync(args.out, text);
    const file = JSON.parse(text) as { state?: { tokens?: unknown[] }; faults?: unknown[] };
    process.stderr.write(`wrote ${args.out}: ${file.state?.tokens?.length ?? 0} token(s), ${file.faults?.length ?? 0} fault rule(s); reproduce with: sandbox start --scenario ${args.out}\n`);
  },
};
