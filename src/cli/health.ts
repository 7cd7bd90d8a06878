import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';

type HealthArgs = { url?: string; port: number; host: string; timeout: number; wait: number };

/** A dependency-free health probe (Docker HEALTHCHECK, CI wait loops): exit 0 when the sandbox answers 200. */
export const healthCommand: CommandModule<object, HealthArgs> = {
  command: 'health',
  describe: 'Check that a running sandbox is ready (exit 0) or not (exit 1); no curl needed',
  builder: (y: Argv) =>
    y
      .options({
        url: { type: 'string', describe: 'Base URL of the sandbox (overrides --host/--port)' },
        host: { type: 'string', default: '127.0.0.1', describe: 'Host of the sandbox' },
        port: { type: 'number', default: 8848, describe: 'Port of the sandbox' },
        timeout: { type: 'number', default: 2000, describe: 'Milliseconds to wait for one answer' },
        wait: { type: 'number', default: 0, describe: 'Keep trying for this many milliseconds before giving up (for CI start-up)' },
      })
      .example('$0 health --port 8848', 'Exit 0 when the sandbox on port 8848 is ready')
      .example('$0 health --url http://127.0.0.1:8848 --wait 30000', 'Wait up to 30 s for it to come up') as unknown as Argv<HealthArgs>,
  handler: async (args: ArgumentsCamelCase<HealthArgs>) => {
    const base = (args.url ?? `http://${args.host}:${args.port}`).replace(/\/+$/, '');
    const deadline = Date.now() + args.wait;
    let last = '';
    for (;;) {
      try {
        const res = await fetch(`${base}/__sandbox/health`, { signal: AbortSignal.timeout(args.timeout) });
        if (res.status === 200) {
          process.stdout.write(`ok ${base}\n`);
          return;
        }
        last = `HTTP ${res.status}`;
      } catch (e) {
        last = ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message;
      }
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    process.stderr.write(`sandbox: not healthy at ${base}/__sandbox/health (${last})\n`);
    process.exitCode = 1;
  },
};
