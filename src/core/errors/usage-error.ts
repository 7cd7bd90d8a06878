/**
 * The command line, an environment variable or the config file asks for something that cannot be:
 * exit code 2 (as for an unknown option), where a sandbox that could not start or a failed check exits 1.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
}
