import { loadConfigFile, type ConfigFile } from './config-file.js';
import type { SandboxOptions } from '../../core/config/sandbox-options.js';
import { configOption, envName, startOptions, type OptionTable, type StartSettings } from './option-spec.js';
import { resolveSettings, type Resolved } from './settings.js';
import { isDetachedChild } from '../process/detached-child.js';
import { UsageError } from '../../core/errors/usage-error.js';

export interface StartPlan {
  settings: StartSettings;
  sources: Resolved<StartSettings>['sources'];
  config?: ConfigFile;
}

/** --config, else SANDBOX_CONFIG, else ./sandbox.config.json if there is one. */
export function configFileFor(given: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): ConfigFile | undefined {
  const flag = given.config;
  if (flag !== undefined) {
    if (typeof flag !== 'string' || flag.trim() === '') throw new UsageError('--config: name the JSON file to read options from');
    return loadConfigFile({ value: flag, from: `--config ${flag}` });
  }
  const fromEnv = env[envName('config')];
  return loadConfigFile(fromEnv ? { value: fromEnv, from: `${envName('config')}=${fromEnv}` } : undefined);
}

/** Options that make sense only together, checked after every source has been read. */
function checkCombinations(s: StartSettings, env: NodeJS.ProcessEnv): void {
  if (s['tls-cert'] !== undefined && s['tls-key'] === undefined) throw new UsageError('--tls-cert needs --tls-key (the private key of the certificate)');
  if (s['tls-key'] !== undefined && s['tls-cert'] === undefined) throw new UsageError('--tls-key needs --tls-cert (the certificate of the key)');
  if (s['log-file'] !== undefined && !s.detach && !isDetachedChild(env))
    throw new UsageError('--log-file goes with --detach; in the foreground redirect the output instead (> sandbox.log 2>&1)');
  if (s['https-port'] !== undefined && s['https-port'] !== 0 && s['https-port'] === s.port) {
    throw new UsageError(`--https-port ${s['https-port']} is also --port: HTTP and HTTPS need a port each (or --tls alone to serve only HTTPS on --port)`);
  }
}

/** The options of `sandbox start` from the flags, SANDBOX_* variables, the config file and the defaults. */
export function startPlan(given: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): StartPlan {
  const config = configFileFor(given, env);
  const { values, sources } = resolveSettings<StartSettings>({ ...startOptions, ...configOption }, given, { env, config });
  delete (values as Record<string, unknown>).config;
  // --https-port, a certificate of one's own or a name for the certificate mean HTTPS: --tls need not be said as well.
  if (values['https-port'] !== undefined || values['tls-cert'] !== undefined || values['tls-name'].length) values.tls = true;
  checkCombinations(values, env);
  return { settings: values, sources, config };
}

/**
 * What the rows that set a SandboxOptions field hand to Sandbox.create; the options of the process
 * around the sandbox (--detach, --watch, --workers, ...) stay with the CLI.
 */
export function sandboxOptionsOf(s: StartSettings): SandboxOptions {
  const options: Record<string, unknown> = {};
  for (const [option, spec] of Object.entries(startOptions as OptionTable)) {
    const value = (s as Record<string, unknown>)[option];
    if (spec.sets && value !== undefined) options[spec.sets] = spec.as ? spec.as(value as never) : value;
  }
  return options;
}
