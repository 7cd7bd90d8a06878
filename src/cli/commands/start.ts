import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { isDetachedChild } from '../process/detached-child.js';
import { failureText } from '../output/fail.js';
import { jsonLine, setJsonOutput } from '../output/json-lines.js';
import { CONFIG_FILE, configOption, envName, startOptions } from '../options/option-spec.js';
import { serve } from '../process/serve.js';
import { describeSources } from '../options/settings.js';
import { startPlan } from '../options/start-settings.js';
import { givenFlags, yargsOptions } from '../options/yargs-options.js';
import { unknownEnvWarnings } from '../options/unknown-env.js';
import { exposureWarnings } from '../options/exposure-warnings.js';

const TABLE = { ...startOptions, ...configOption };

/** `sandbox start` from the options given on the command line (as parsed by yargs or by the fast path). */
export async function runStart(given: Record<string, unknown>, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // Known before the rest is checked, so that a bad value is reported in the format asked for.
  setJsonOutput((given['log-format'] ?? process.env[envName('log-format')]) === 'json');
  const plan = startPlan(given);
  // The background process and the workers of --workers serve: they read the same arguments and environment.
  const servesHere = isDetachedChild() || process.env[envName('worker-port')] !== undefined;
  // Once per start: not again in the background process or the workers.
  if (!servesHere) {
    const json = plan.settings['log-format'] === 'json';
    for (const warning of [...unknownEnvWarnings(process.env), ...exposureWarnings(plan)])
      process.stderr.write(json ? jsonLine('warn', warning) : `warning: ${warning}\n`);
  }
  // The start path loads only what a plain start needs: --detach, --tls and --watch bring their modules in.
  if (plan.settings.detach && !servesHere) return (await import('../process/detach.js')).detach(plan.settings, argv);
  return serve(plan.settings, plan.config?.shown);
}

export const PRECEDENCE = `Every option can also be set with an environment variable (SANDBOX_ and the option name: SANDBOX_PORT=9000, SANDBOX_FIXTURES=a,b) or in ${CONFIG_FILE} (keys as the option names; schema: node_modules/oauth-platform-sandbox/schemas/config.schema.json). A flag wins over the environment, which wins over the file, which wins over the default.`;

/** What --help adds below the options: the values in effect from the environment and the config file. */
function inEffect(): string {
  try {
    const plan = startPlan({});
    const lines = describeSources(TABLE, { values: plan.settings, sources: plan.sources }, plan.config);
    return lines.length ? `In effect from the environment${plan.config ? ` and ${plan.config.shown}` : ''}:\n${lines.join('\n')}` : '';
  } catch (e) {
    return `The environment or the config file has a problem: ${failureText(e)}`;
  }
}

export const startCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'start',
  describe: 'Serve every platform on one port (native paths on the root and under /<platform-id>/)',
  builder: (y: Argv) =>
    y
      .usage(
        `$0 start [options]\n\nServe every platform on one port. In the foreground it stops on Ctrl-C, SIGTERM, or when the process that started it ends (the shell, npx, the CI step, the test runner); --detach runs it in the background until "sandbox stop".\n\n${PRECEDENCE}`,
      )
      .options(yargsOptions(TABLE))
      .example('$0 start', 'Serve the built-in fixtures on 127.0.0.1:8848')
      .example('$0 start --port 0 --port-file .sandbox-port', 'Pick a free port and write it down for the tests')
      .example('$0 start --detach --port 8848', 'In the background: returns once ready; "sandbox stop" ends it')
      .example('$0 start --fixtures ./my-fixtures --db state.json', 'Your own apps and users, state kept across restarts')
      .example('$0 start --scenario expiry-fast --scenario ./my-bug.json', 'Short-lived tokens, then the state of a bug report on top')
      .example('$0 start --tls-name sandbox.staging.example.com', 'HTTPS for that name too, with a certificate from your local CA (kept; trust the CA once)')
      .example('SANDBOX_PORT=9000 $0 start', 'The same options from the environment')
      .epilogue(inEffect()) as unknown as Argv<Record<string, unknown>>,
  handler: async (args: ArgumentsCamelCase<Record<string, unknown>>) => runStart(givenFlags(TABLE, args)),
};
