import type { StartPlan } from './start-settings.js';
import { envName } from './option-spec.js';

/** A token shorter than this, on an address other machines reach, can be guessed or was typed as a placeholder. */
export const MIN_EXPOSED_TOKEN_LENGTH = 16;

export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Where an option's value came from, as a person would look for it. */
function origin(plan: StartPlan, option: string): string {
  const source = plan.sources[option];
  if (source === 'env') return `${envName(option)} in the environment`;
  if (source === 'file') return plan.config?.shown ?? 'the config file';
  return `--${option}`;
}

/**
 * What to say before a start that exposes the sandbox without having been asked to on the command line:
 * a non-loopback --host that came from the environment or a config file (one planted in the working
 * folder binds 0.0.0.0 quietly otherwise), and a short admin token on such an address. Warned, not
 * refused: containers set SANDBOX_HOST=0.0.0.0 on purpose, and a CI service may use a short throwaway token.
 */
export function exposureWarnings(plan: StartPlan): string[] {
  const s = plan.settings;
  if (isLoopback(s.host)) return [];
  const out: string[] = [];
  const hostSource = plan.sources.host;
  if (hostSource === 'env' || hostSource === 'file')
    out.push(
      `--host ${s.host} comes from ${origin(plan, 'host')}, not from a flag: the sandbox is reachable from other machines. Pass --host ${s.host} to mean it, or --host 127.0.0.1 to keep it on this machine.`,
    );
  const token = s['admin-token'];
  if (token !== undefined && token.length < MIN_EXPOSED_TOKEN_LENGTH)
    out.push(
      `the admin token from ${origin(plan, 'admin-token')} has ${token.length} characters, on --host ${s.host} where other machines reach the control plane: use ${MIN_EXPOSED_TOKEN_LENGTH} or more, or leave it out and use the one the sandbox makes up.`,
    );
  return out;
}
