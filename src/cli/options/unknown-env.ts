import { configOption, ENV_PREFIX, envName, isConfigurable, startOptions, type OptionTable } from './option-spec.js';
import { closest } from './suggest.js';

/**
 * Variables of other commands (health's and export's --url) and of the process itself (the port a
 * cluster worker is told by its primary): known, though `sandbox start` reads none of them.
 */
const OTHER_KNOWN = ['url', 'worker-port'];

const knownNames = (): string[] => [
  ...Object.entries({ ...startOptions, ...configOption } as OptionTable)
    .filter(([, spec]) => isConfigurable(spec))
    .map(([name]) => envName(name)),
  ...OTHER_KNOWN.map(envName),
];

/**
 * One warning per SANDBOX_* variable that no option reads: a misspelt SANDBOX_PROT would otherwise leave
 * the sandbox on its default port without a word.
 */
export function unknownEnvWarnings(env: NodeJS.ProcessEnv): string[] {
  const known = knownNames();
  return Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !known.includes(name))
    .sort()
    .map((name) => {
      const guess = closest(name, known);
      return `${name} is not an option of the sandbox and is ignored${guess ? `; did you mean ${guess}?` : ''} ("sandbox start --help" lists the options; SANDBOX_ and an option's name sets it)`;
    });
}
