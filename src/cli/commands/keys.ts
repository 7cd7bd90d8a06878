import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadFixtures } from '../../core/fixtures/loader.js';
import type { KeyEntry } from '../../core/signing/key-entry.js';
import type { AnyPlatform } from '../../core/platform.js';
import { PLATFORMS } from '../../platforms/index.js';
import { fixtureFlags } from '../options/yargs-options.js';
import { terminal } from '../output/terminal.js';

type KeysArgs = { format: 'base64' | 'pem'; json: boolean; fixtures: string[]; 'builtin-fixtures': boolean };

const WARNING = 'TEST ONLY: the built-in keys are published with the sandbox. Never use them for anything real.';

function text(entries: KeyEntry[], format: 'base64' | 'pem'): string {
  const lines = [WARNING, ''];
  let owner = '';
  for (const e of entries) {
    if (e.owner !== owner) {
      lines.push(`${e.platform} ${e.owner}`);
      owner = e.owner;
    }
    lines.push(`  ${e.kind} key: ${e.usage}`);
    lines.push(format === 'pem' ? e.pem.trimEnd() : e.base64, '');
  }
  if (entries.length === 0) lines.push('No keys in the fixtures.');
  return `${lines.join('\n')}\n`;
}

/** Every key pair the platforms' fixtures hold, as each platform reports them. */
export async function keyEntries(args: Pick<KeysArgs, 'fixtures' | 'builtin-fixtures'>, platforms: readonly AnyPlatform[] = PLATFORMS): Promise<KeyEntry[]> {
  const { data } = await loadFixtures(platforms, args.fixtures, args['builtin-fixtures']);
  return platforms.flatMap((p) => p.keys?.(data[p.id]) ?? []);
}

/** Print the RSA keys the fixtures hold (the built-in test pairs unless told otherwise). */
export const keysCommand: CommandModule<object, KeysArgs> = {
  command: 'keys',
  describe: 'Print the test key pairs of the signed platforms (SOP, ZJRC), so clients can sign requests and verify answers',
  builder: (y: Argv) =>
    y
      .options({
        format: {
          choices: ['base64', 'pem'] as const,
          default: 'base64' as const,
          describe: 'Bare Base64 as the platforms hand keys out (PKCS#8 / X.509), or PEM',
        },
        json: { type: 'boolean', default: false, describe: 'Print a JSON array (platform, owner, kind, usage, base64, pem)' },
        ...fixtureFlags(),
      })
      .example('$0 keys', 'The built-in test keys, bare Base64')
      .example('$0 keys --format pem --fixtures ./my-fixtures', 'Your fixtures’ keys as PEM') as unknown as Argv<KeysArgs>,
  handler: async (args: ArgumentsCamelCase<KeysArgs>) => {
    const entries = await keyEntries(args);
    terminal().stdout.write(args.json ? `${JSON.stringify(entries, null, 2)}\n` : text(entries, args.format));
  },
};
