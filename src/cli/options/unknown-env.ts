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
 * One warning per SANDBOX_* variable that no option reads but that is close to one: a misspelt SANDBOX_PROT
 * would otherwise leave the sandbox on its default port without a word. A name close to none
 * (SANDBOX_BASE_URL, SANDBOX_TEST_WORKER_REDIS) is taken for a variable of the user's own and left alone.
 */
export function unknownEnvWarnings(env: NodeJS.ProcessEnv): string[] {
  const known = knownNames();
  const suffixes = known.map((name) => name.slice(ENV_PREFIX.length));
  return Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !known.includes(name))
    .sort()
    .flatMap((name) => {
      const guess = closest(name.slice(ENV_PREFIX.length), suffixes);
      return guess
        ? [`${name} is not an option of the sandbox and is ignored; did you mean ${ENV_PREFIX}${guess}? ("sandbox start --help" lists the options)`]
        : [];
    });
}
