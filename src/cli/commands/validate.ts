import { basename } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError } from '../../core/errors/usage-error.js';
import { CONFIG_FILE } from '../options/option-spec.js';
import { startPlan } from '../options/start-settings.js';
import { listFixtureFiles, readJsonFile } from '../../core/fixtures/loader.js';
import { isScenarioFile, ScenarioLibrary } from '../../core/scenarios/loader.js';
import { formatIssue, LoadError } from '../../core/validation/load-error.js';
import { loadValidators } from '../../core/validation/lazy-schemas.js';
import { PLATFORMS } from '../../platforms/index.js';
import { terminal, setExitCode } from '../output/terminal.js';

type ValidateArgs = { files: string[] };

/** sandbox.config.json, by its name or by the schema it names: options of `sandbox start`, not fixtures. */
function isConfigFile(file: string, raw: () => unknown): boolean {
  if (basename(file) === CONFIG_FILE) return true;
  const data = raw() as { $schema?: unknown } | null;
  return typeof data?.$schema === 'string' && /config\.schema\.json$/.test(data.$schema);
}

/** Checked as `sandbox start --config FILE` reads it (no flag or variable on top): the message it would give, or none. */
function configProblem(file: string): string | undefined {
  try {
    startPlan({ config: file }, {});
    return undefined;
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
}

/** Check fixture and scenario files with the very schemas the server loads them with. */
export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <files..>',
  describe: 'Check fixture and scenario files (or directories of them); errors name the file, the JSON path and what was expected',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'Files or directories to check' })
      .example('$0 validate fixtures/', 'Check every fixture file in a folder')
      .example('$0 validate scenarios/my-bug.json', 'Check a scenario file (told apart by its $schema or its fields)')
      .example(
        `$0 validate ${CONFIG_FILE}`,
        'Check the options file of "sandbox start" (told apart by its name or its $schema)',
      ) as unknown as Argv<ValidateArgs>,
  handler: async (args: ArgumentsCamelCase<ValidateArgs>) => {
    const { fixtureFileSchema, validateFixtureFile } = (await loadValidators(PLATFORMS)).fixtureFile;
    const schema = fixtureFileSchema(PLATFORMS);
    const scenarios = new ScenarioLibrary(PLATFORMS);
    let failed = 0;
    let files: string[];
    try {
      files = listFixtureFiles(args.files);
    } catch (e) {
      if (!(e instanceof LoadError)) throw e;
      for (const issue of e.issues) terminal().stderr.write(`${formatIssue(issue)}\n`);
      setExitCode(1);
      return;
    }
    for (const file of files) {
      if (isConfigFile(file, () => safely(() => readJsonFile(file)))) {
        const problem = configProblem(file);
        if (problem) {
          failed++;
          terminal().stderr.write(`${problem}\n`);
        } else terminal().stdout.write(`ok  ${file} (config)\n`);
        continue;
      }
      try {
        const raw = readJsonFile(file);
        const scenario = isScenarioFile(raw);
        if (scenario) scenarios.validate(raw, file);
        else validateFixtureFile(PLATFORMS, raw, file, schema);
        terminal().stdout.write(`ok  ${file}${scenario ? ' (scenario)' : ''}\n`);
      } catch (e) {
        if (!(e instanceof LoadError)) throw e;
        failed++;
        for (const issue of e.issues) terminal().stderr.write(`${formatIssue(issue)}\n`);
      }
    }
    if (failed) {
      terminal().stderr.write(`${failed} of ${files.length} file(s) invalid\n`);
      setExitCode(1);
    }
  },
};

function safely(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}
