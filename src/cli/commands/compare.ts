import { writeFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { differenceJson, differenceText } from '../../compare/difference.js';
import { overlayOf } from '../../compare/overlay.js';
import { readRecording } from '../../compare/recording-file.js';
import { compareRecording } from '../../compare/replay.js';
import { UsageError } from '../../core/errors/usage-error.js';
import { LoadError } from '../../core/validation/load-error.js';
import { VERSION } from '../../sandbox.js';
import { fixtureFlags } from '../options/yargs-options.js';
import { failureText } from '../output/fail.js';
import { terminal, setExitCode } from '../output/terminal.js';

type CompareArgs = { recording: string; json: boolean; 'write-fixture'?: string; fixtures: string[]; 'builtin-fixtures': boolean };

/** `sandbox compare RECORDING`: where the sandbox would have answered otherwise than the real platform did. */
export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <recording>',
  describe: 'Replay a recording (sandbox start --record) against the sandbox and list where it answers otherwise; exit 0 same, 1 different, 2 bad input',
  builder: (y: Argv) =>
    y
      .positional('recording', { type: 'string', demandOption: true, describe: 'A recording written by "sandbox start --upstream ... --record FILE"' })
      .options({
        json: { type: 'boolean', default: false, describe: 'One JSON object per difference (JSON lines) instead of text' },
        'write-fixture': { type: 'string', describe: 'Write the fixture overlay whose settings make the sandbox answer as the real platform did' },
        ...fixtureFlags(),
      })
      .example('$0 compare mantun.jsonl', 'List the differences')
      .example('$0 compare mantun.jsonl --write-fixture real-mantun.json', 'Also write the settings that correct them')
      .example('$0 compare mantun.jsonl --fixtures real-mantun.json', 'What remains with them') as unknown as Argv<CompareArgs>,
  handler: async (args: ArgumentsCamelCase<CompareArgs>) => {
    if (args.writeFixture === '') throw new UsageError('--write-fixture needs a file name');
    const lines = readRecording(args.recording);
    let result: Awaited<ReturnType<typeof compareRecording>>;
    try {
      result = await compareRecording(lines, { fixtures: args.fixtures, builtinFixtures: args['builtin-fixtures'] });
    } catch (e) {
      // A fixture file that does not load is bad input, as for "sandbox validate".
      if (e instanceof LoadError) throw new UsageError(failureText(e));
      throw e;
    }
    const { differences, skipped } = result;
    const out: string[] = [];
    if (args.json) {
      out.push(...differences.map(differenceJson));
      out.push(...skipped.map((s) => JSON.stringify({ kind: 'not-compared', ...s })));
    } else {
      out.push(...differences.map(differenceText));
      for (const s of skipped) out.push(`not compared: line ${s.seq} ${s.platform} ${s.endpoint}: ${s.why}`);
      const remain = differences.filter((d) => d.kind === 'behaviour' && !d.setting);
      if (remain.length) {
        out.push(
          '',
          `${remain.length} difference(s) no fixture setting corrects; paste this into a bug report with the recording's lines:`,
          `sandbox ${VERSION}, compare ${args.recording}${args.fixtures.length ? ` --fixtures ${args.fixtures.join(' ')}` : ''}`,
          ...remain.map((d) => `  line ${d.seq}: ${differenceText(d)}`),
        );
      }
      const compared = lines.length - skipped.length;
      if (differences.length === 0) out.push(`no difference in ${compared} exchange(s)`);
      else if (!differences.some((d) => d.kind === 'behaviour'))
        out.push(`no behaviour difference in ${compared} exchange(s); the "data" lines are values only the real account holds`);
    }
    if (args.writeFixture) {
      try {
        writeFileSync(args.writeFixture, `${JSON.stringify(overlayOf(differences), null, 2)}\n`);
      } catch (e) {
        throw new UsageError(
          `cannot write --write-fixture ${args.writeFixture}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (e as Error).message}`,
        );
      }
    }
    terminal().stdout.write(out.length ? `${out.join('\n')}\n` : '');
    setExitCode(differences.some((d) => d.kind === 'behaviour') ? 1 : 0);
  },
};
