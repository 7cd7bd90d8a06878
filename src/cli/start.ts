import { writeFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { Sandbox } from '../sandbox.js';
import { banner } from './banner.js';
import { fixtureOptions, scenarioOptions, serverOptions } from './options.js';
import { watchAndReload } from './watch.js';

type StartArgs = {
  port: number;
  host: string;
  'port-file'?: string;
  db?: string;
  seed?: string;
  'log-format': 'pretty' | 'json';
  quiet: boolean;
  'body-limit': number;
  'journal-size': number;
  watch: boolean;
  'admin-token'?: string;
  fixtures: string[];
  'builtin-fixtures': boolean;
  scenario: string[];
  'scenarios-dir': string[];
  'allowed-hosts': string[];
  'max-sessions': number;
  'max-faults': number;
  'max-connections'?: number;
  'db-repair': boolean;
};

export const startCommand: CommandModule<object, StartArgs> = {
  command: 'start',
  describe: 'Serve every platform on one port (native paths on the root and under /<platform-id>/)',
  builder: (y: Argv) =>
    y
      .options({ ...serverOptions, ...fixtureOptions, ...scenarioOptions })
      .example('$0 start', 'Serve the built-in fixtures on 127.0.0.1:8848')
      .example('$0 start --port 0 --port-file .sandbox-port', 'Pick a free port and write it down for the tests')
      .example('$0 start --fixtures ./my-fixtures --db .sandbox-db.json', 'Your own apps and users, state kept across restarts')
      .example('$0 start --scenario expiry-fast --scenario ./my-bug.json', 'Short-lived tokens, then the state of a bug report on top')
      .example('$0 start --fixtures ./my-fixtures --scenario ./my-bug.json --watch', 'Edit the files while it runs: each save reloads them, tokens stay') as unknown as Argv<StartArgs>,
  handler: async (args: ArgumentsCamelCase<StartArgs>) => {
    const sandbox = await Sandbox.create({
      port: args.port,
      host: args.host,
      fixtures: args.fixtures,
      builtinFixtures: args['builtin-fixtures'],
      db: args.db,
      seed: args.seed,
      logFormat: args['log-format'],
      logLevel: args.quiet ? 'warn' : 'info',
      bodyLimit: args['body-limit'],
      journalSize: args['journal-size'],
      scenario: args.scenario,
      scenarioDirs: args['scenarios-dir'],
      adminToken: args['admin-token'],
      allowedHosts: args['allowed-hosts'].flatMap((h) => h.split(',')).filter(Boolean),
      maxSessions: args['max-sessions'],
      maxFaults: args['max-faults'],
      maxConnections: args['max-connections'],
      dbRepair: args['db-repair'],
      validateOnDemand: true,
    });
    try {
      await sandbox.listen();
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'EADDRINUSE' ? `port ${args.port} on ${args.host} is already in use (pick another with --port, or --port 0 for a free one)` : err.code === 'EADDRNOTAVAIL' ? `address ${args.host} is not on this machine (--host)` : err.message;
      throw new Error(`cannot listen: ${why}`);
    }
    if (args['port-file']) writeFileSync(args['port-file'], `${new URL(sandbox.url).port}\n`);
    const active = sandbox.world.scenarios.view().active.map((a) => a.name);
    const scenarios = active.length ? `\nscenarios      ${active.join(', ')}\n` : '';
    // Watching starts before the readiness line, so an edit made as soon as it is printed is seen.
    const watching = args.watch ? watchAndReload(sandbox) : undefined;
    const watched = watching ? `\nwatching       ${watching.folders.length ? watching.folders.join(', ') : 'nothing (no --fixtures, --scenario file or --scenarios-dir given)'}\n` : '';
    const token = sandbox.options.adminToken;
    // A token the user chose is theirs to know; a generated one is printed, or nobody could use the control plane.
    const admin = token ? `\nadmin token    ${args['admin-token'] ? '(the one given with --admin-token)' : token} — the control plane needs it: "Authorization: Bearer <token>", or open ${sandbox.url}/__sandbox/?token=<token>\n` : '';
    // Whoever reads our output may go away (`| head`, a CI step that ended): a closed pipe must not crash the server.
    process.stdout.on('error', () => undefined);
    const stop = (signal: string) => {
      watching?.close();
      process.stdout.write(`${signal}: stopping (finishing in-flight requests)\n`);
      sandbox.close().then(
        () => process.exit(0),
        (e: unknown) => {
          process.stderr.write(`sandbox: error while stopping: ${(e as Error).message}\n`);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    // Only now: a supervisor that stops us as soon as it reads the readiness line must find the handlers in place.
    process.stdout.write(`${banner(sandbox.version, sandbox.url, sandbox.summaries(sandbox.url))}\n${scenarios}${watched}${admin}\nSandbox ready at ${sandbox.url}\n`);
  },
};
