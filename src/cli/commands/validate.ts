import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { listFixtureFiles, readJsonFile } from '../../core/fixtures/loader.js';
import { isScenarioFile, ScenarioLibrary } from '../../core/scenarios/loader.js';
import { formatIssue, LoadError } from '../../core/validation/load-error.js';
import { loadValidators } from '../../core/validation/lazy-schemas.js';
import { PLATFORMS } from '../../platforms/index.js';

type ValidateArgs = { files: string[] };

/** Check fixture and scenario files with the very schemas the server loads them with. */
export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <files..>',
  describe: 'Check fixture and scenario files (or directories of them); errors name the file, the JSON path and what was expected',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'Files or directories to check' })
      .example('$0 validate fixtures/', 'Check every fixture file in a folder')
      .example('$0 validate scenarios/my-bug.json', 'Check a scenario file (told apart by its $schema or its fields)') as unknown as Argv<ValidateArgs>,
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
      for (const issue of e.issues) process.stderr.write(`${formatIssue(issue)}\n`);
      process.exitCode = 1;
      return;
    }
    for (const file of files) {
      try {
        const raw = readJsonFile(file);
        const scenario = isScenarioFile(raw);
        if (scenario) scenarios.validate(raw, file);
        else validateFixtureFile(PLATFORMS, raw, file, schema);
        process.stdout.write(`ok  ${file}${scenario ? ' (scenario)' : ''}\n`);
      } catch (e) {
        if (!(e instanceof LoadError)) throw e;
        failed++;
        for (const issue of e.issues) process.stderr.write(`${formatIssue(issue)}\n`);
      }
    }
    if (failed) {
      process.stderr.write(`${failed} of ${files.length} file(s) invalid\n`);
      process.exitCode = 1;
    }
  },
};
