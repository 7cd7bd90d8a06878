import { readFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadFixtures } from '../../core/fixtures/loader.js';
import type { AnyPlatform, SignedRequest, SignInput } from '../../core/platform.js';
import { PLATFORMS } from '../../platforms/index.js';
import { fixtureFlags } from '../options/yargs-options.js';
import { terminal } from '../output/terminal.js';

/** The common options, then each platform's own (named by the platforms' signing faces). */
type SignArgs = {
  platform: string;
  action?: string;
  app?: string;
  url: string;
  json: boolean;
  at?: string;
  'admin-token'?: string;
  timestamp?: string;
  param: string[];
  fixtures: string[];
  'builtin-fixtures': boolean;
  [option: string]: unknown;
};

/** Single quotes for a POSIX shell: nothing inside is expanded. */
const sh = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function curlCommand(base: string, req: NonNullable<SignedRequest['request']>): string {
  const lines = [`curl -sS -X ${req.method} ${sh(`${base.replace(/\/+$/, '')}${req.path}`)}`];
  if (req.json) lines.push(`-H 'content-type: application/json'`, `-d ${sh(JSON.stringify(req.json))}`);
  // --data-urlencode encodes the value after the first "=", as a form client would.
  for (const [k, v] of Object.entries(req.form ?? {})) lines.push(`--data-urlencode ${sh(`${k}=${v}`)}`);
  return lines.join(' \\\n  ');
}

/** When to sign: --at (ISO-8601, epoch ms, or "sandbox" for the running sandbox's clock), else now. */
async function signingTime(at: string | undefined, base: string, adminToken: string | undefined): Promise<number> {
  if (at === undefined) return Date.now();
  if (at === 'sandbox') {
    const headers: Record<string, string> = adminToken ? { authorization: `Bearer ${adminToken}` } : {};
    const res = await fetch(`${base.replace(/\/+$/, '')}/__sandbox/clock`, { headers, signal: AbortSignal.timeout(5000) }).catch((e: Error) => {
      throw new Error(`--at sandbox: cannot read the clock at ${base}/__sandbox/clock (${(e.cause as Error | undefined)?.message ?? e.message})`);
    });
    if (res.status === 401) throw new Error(`--at sandbox: ${base}/__sandbox/clock wants the admin token; pass it with --admin-token`);
    if (res.status !== 200) throw new Error(`--at sandbox: ${base}/__sandbox/clock answered HTTP ${res.status}`);
    return ((await res.json()) as { epochMs: number }).epochMs;
  }
  const t = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
  if (!Number.isFinite(t)) throw new Error(`--at must be an ISO-8601 time, epoch milliseconds or "sandbox", got ${at}`);
  return t;
}

function extraParams(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`--param takes key=value, got ${item}`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Every platform option, with the help of each platform that reads it ("mantun router: ...; sop: ..."). */
function platformOptions(platforms: readonly AnyPlatform[]): Record<string, { type: 'string'; describe: string }> {
  const out: Record<string, { type: 'string'; describe: string }> = {};
  for (const p of platforms) {
    for (const [flag, help] of Object.entries(p.signing?.options ?? {})) {
      out[flag] = { type: 'string', describe: out[flag] ? `${out[flag].describe}; ${help}` : help };
    }
  }
  return out;
}

export async function signFromArgs(
  args: SignArgs,
  platforms: readonly AnyPlatform[] = PLATFORMS,
): Promise<SignedRequest & { platform: string; action: string; curl?: string }> {
  const platform = platforms.find((p) => p.id === args.platform && p.signing);
  if (!platform?.signing)
    throw new Error(
      `sandbox sign knows ${platforms
        .filter((p) => p.signing)
        .map((p) => p.id)
        .join(', ')}; got "${args.platform}"`,
    );
  const face = platform.signing;
  const action = args.action ?? face.defaultAction;
  if (!action) throw new Error(`name what to sign: sandbox sign ${platform.id} ${face.actions.join('|')} (see sandbox sign --help)`);
  const { data } = await loadFixtures(platforms, args.fixtures, args['builtin-fixtures']);
  const input: SignInput = {
    app: args.app,
    at: await signingTime(args.at, args.url, args['admin-token']),
    timestamp: args.timestamp,
    params: extraParams(args.param),
  };
  for (const flag of Object.keys(face.options)) {
    const value = args[flag];
    if (typeof value === 'string') input[camel(flag)] = flag === 'private-key' ? readFileSync(value, 'utf8') : value;
  }
  // --api-version reaches the platforms as `version` (yargs keeps --version for the program's own).
  if (input.apiVersion !== undefined) input.version = input.apiVersion;
  const signed = face.sign(data[platform.id], action, input);
  return { platform: platform.id, action, ...signed, curl: signed.request && curlCommand(args.url, signed.request) };
}

function text(s: Awaited<ReturnType<typeof signFromArgs>>): string {
  const width = Math.max(...Object.keys(s.values).map((k) => k.length));
  const lines = [`# ${s.about}`, ...Object.entries(s.values).map(([k, v]) => `${k.padEnd(width)}  ${v}`)];
  if (s.curl) lines.push('', s.curl);
  return `${lines.join('\n')}\n`;
}

/** `sandbox sign <platform> [action]`: the values a client computes, and a curl command that sends them. */
export function signCommand(platforms: readonly AnyPlatform[] = PLATFORMS): CommandModule<object, SignArgs> {
  const signers = platforms.filter((p) => p.signing);
  return {
    command: 'sign <platform> [action]',
    describe:
      'Print what a client signs (Mantun client_secret/sign, UserCenter password hashes, SOP and ZJRC request signatures, ZJRC clientSign) and a curl command that sends it',
    builder: (y: Argv) =>
      y
        .positional('platform', { choices: signers.map((p) => p.id), demandOption: true, describe: 'Which platform' })
        .positional('action', { type: 'string', describe: signers.map((p) => `${p.id}: ${p.signing!.actions.join(' | ')}`).join('; ') })
        .options({
          app: { type: 'string', describe: 'App (client) id from the fixtures; the first one when absent' },
          url: { type: 'string', default: 'http://127.0.0.1:8848', describe: 'Sandbox base URL for the curl command (a session URL works too)' },
          json: { type: 'boolean', default: false, describe: 'Print one JSON object (values, request, curl) instead of text' },
          at: { type: 'string', describe: 'Sign at this time: ISO-8601, epoch ms, or "sandbox" to read the clock of the sandbox at --url (default: now)' },
          'admin-token': { type: 'string', describe: 'With --at sandbox: the admin token of a sandbox that requires one' },
          timestamp: { type: 'string', describe: 'The timestamp parameter verbatim, in the platform’s format' },
          param: { type: 'string', array: true, default: [] as string[], describe: 'Extra request parameter key=value (signed too); repeatable' },
          ...platformOptions(signers),
          ...fixtureFlags(),
        })
        .example('$0 sign mantun token --code 5198a7417068bd560d9ec86bdf4eb9e7', 'client_secret for token.as, and the curl call')
        .example('$0 sign mantun router --method GET_BOXES --access-token AT --param projectCode=P00000000009', 'A signed router.as call')
        .example('$0 sign usercenter --user test', 'md5password/shapassword of a fixture user and a curl login')
        .example(`$0 sign sop --method open.auth.token.app --biz-content '{"grant_type":"authorization_code","code":"C"}'`, 'A signed SOP gateway call')
        .example(
          `$0 sign zjrc --method zjrcuoip.oauth.get.openId.new --biz-content '{"code":"C","scopeList":[{"scopeName":"get_nor_user_info"}]}'`,
          'A signed ZJRC call, clientSign included',
        )
        .example('$0 sign zjrc client-sign --data 15dd66eefdb344ada77db82b12690d2f', 'clientSign alone') as unknown as Argv<SignArgs>,
    handler: async (args: ArgumentsCamelCase<SignArgs>) => {
      const signed = await signFromArgs(args, platforms);
      terminal().stdout.write(args.json ? `${JSON.stringify(signed, null, 2)}\n` : text(signed));
    },
  };
}
