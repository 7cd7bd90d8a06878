import { readFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadFixtures } from '../core/fixtures/loader.js';
import { PLATFORMS } from '../platforms/index.js';
import type { MantunFixture } from '../platforms/mantun/fixture.js';
import type { SopFixture } from '../platforms/sop/fixture.js';
import type { UserCenterFixture } from '../platforms/usercenter/fixture.js';
import type { ZjrcFixture } from '../platforms/zjrc/fixture.js';
import { fixtureOptions } from './options.js';
import { mantunRequest, sopRequest, usercenterRequest, zjrcRequest, type SignedRequest, type SignInput } from './sign-requests.js';

type SignArgs = {
  platform: 'mantun' | 'usercenter' | 'sop' | 'zjrc';
  action?: string;
  app?: string;
  url: string;
  json: boolean;
  at?: string;
  'admin-token'?: string;
  timestamp?: string;
  param: string[];
  code?: string;
  'refresh-token'?: string;
  'redirect-uri'?: string;
  'access-token'?: string;
  method?: string;
  password?: string;
  user?: string;
  'biz-content'?: string;
  'app-auth-token'?: string;
  'sign-type'?: string;
  'api-version'?: string;
  'private-key'?: string;
  data?: string;
  fixtures: string[];
  'builtin-fixtures': boolean;
};

const DEFAULT_ACTION: Record<SignArgs['platform'], string | undefined> = { mantun: undefined, usercenter: 'password', sop: 'request', zjrc: 'request' };

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

export async function signFromArgs(args: SignArgs): Promise<SignedRequest & { platform: string; action: string; curl?: string }> {
  const action = args.action ?? DEFAULT_ACTION[args.platform];
  if (!action) throw new Error('name what to sign: sandbox sign mantun token|refresh|router (see sandbox sign --help)');
  const { data } = await loadFixtures(PLATFORMS, args.fixtures, args['builtin-fixtures']);
  const input: SignInput = {
    app: args.app,
    at: await signingTime(args.at, args.url, args['admin-token']),
    timestamp: args.timestamp,
    params: extraParams(args.param),
    code: args.code,
    refreshToken: args['refresh-token'],
    redirectUri: args['redirect-uri'],
    accessToken: args['access-token'],
    method: args.method,
    password: args.password,
    user: args.user,
    bizContent: args['biz-content'],
    appAuthToken: args['app-auth-token'],
    signType: args['sign-type'],
    version: args['api-version'],
    privateKey: args['private-key'] === undefined ? undefined : readFileSync(args['private-key'], 'utf8'),
    data: args.data,
  };
  const signed =
    args.platform === 'mantun'
      ? mantunRequest(data.mantun as MantunFixture, action, input)
      : args.platform === 'usercenter'
        ? usercenterRequest(data.usercenter as UserCenterFixture, action, input)
        : args.platform === 'sop'
          ? sopRequest(data.sop as SopFixture, action, input)
          : zjrcRequest(data.zjrc as ZjrcFixture, action, input);
  return { platform: args.platform, action, ...signed, curl: signed.request && curlCommand(args.url, signed.request) };
}

function text(s: Awaited<ReturnType<typeof signFromArgs>>): string {
  const width = Math.max(...Object.keys(s.values).map((k) => k.length));
  const lines = [`# ${s.about}`, ...Object.entries(s.values).map(([k, v]) => `${k.padEnd(width)}  ${v}`)];
  if (s.curl) lines.push('', s.curl);
  return `${lines.join('\n')}\n`;
}

/** `sandbox sign <platform> [action]`: the values a client computes, and a curl command that sends them. */
export const signCommand: CommandModule<object, SignArgs> = {
  command: 'sign <platform> [action]',
  describe: 'Print what a client signs (Mantun client_secret/sign, UserCenter password hashes, SOP and ZJRC request signatures, ZJRC clientSign) and a curl command that sends it',
  builder: (y: Argv) =>
    y
      .positional('platform', { choices: ['mantun', 'usercenter', 'sop', 'zjrc'] as const, demandOption: true, describe: 'Which platform' })
      .positional('action', { type: 'string', describe: 'mantun: token | refresh | router; usercenter: password; sop: request; zjrc: request | client-sign' })
      .options({
        app: { type: 'string', describe: 'App (client) id from the fixtures; the first one when absent' },
        url: { type: 'string', default: 'http://127.0.0.1:8848', describe: 'Sandbox base URL for the curl command (a session URL works too)' },
        json: { type: 'boolean', default: false, describe: 'Print one JSON object (values, request, curl) instead of text' },
        at: { type: 'string', describe: 'Sign at this time: ISO-8601, epoch ms, or "sandbox" to read the clock of the sandbox at --url (default: now)' },
        'admin-token': { type: 'string', describe: 'With --at sandbox: the admin token of a sandbox that requires one' },
        timestamp: { type: 'string', describe: 'The timestamp parameter verbatim, in the platform’s format' },
        param: { type: 'string', array: true, default: [] as string[], describe: 'Extra request parameter key=value (signed too); repeatable' },
        code: { type: 'string', describe: 'mantun token: the authorization code' },
        'refresh-token': { type: 'string', describe: 'mantun refresh: the refresh token' },
        'redirect-uri': { type: 'string', describe: 'mantun token/refresh: redirect_uri (default: the app’s)' },
        'access-token': { type: 'string', describe: 'mantun router: the access token' },
        method: { type: 'string', describe: 'mantun router / sop / zjrc: the method (GET_BOXES, open.auth.token.app, zjrcuoip.oauth.get.openId.new, ...)' },
        password: { type: 'string', describe: 'usercenter: the clear password' },
        user: { type: 'string', describe: 'usercenter: a fixture user (its password, and a curl login for it)' },
        'biz-content': { type: 'string', describe: 'sop biz_content / zjrc bizContent, as JSON; zjrc fills clientSign from code/refreshToken/openId' },
        'app-auth-token': { type: 'string', describe: 'sop: app_auth_token' },
        'sign-type': { choices: ['RSA2', 'RSA'], describe: 'sop / zjrc signature type (default RSA2)' },
        'api-version': { type: 'string', describe: 'sop (default 1.0) / zjrc (default 1.0.0) version parameter' },
        'private-key': { type: 'string', describe: 'sop / zjrc: sign with the key in this file instead of the app’s fixture key' },
        data: { type: 'string', describe: 'zjrc client-sign: the code, refresh token or openId to HMAC' },
        ...fixtureOptions,
      })
      .example('$0 sign mantun token --code 5198a7417068bd560d9ec86bdf4eb9e7', 'client_secret for token.as, and the curl call')
      .example('$0 sign mantun router --method GET_BOXES --access-token AT --param projectCode=P00000000009', 'A signed router.as call')
      .example('$0 sign usercenter --user test', 'md5password/shapassword of a fixture user and a curl login')
      .example(`$0 sign sop --method open.auth.token.app --biz-content '{"grant_type":"authorization_code","code":"C"}'`, 'A signed SOP gateway call')
      .example(`$0 sign zjrc --method zjrcuoip.oauth.get.openId.new --biz-content '{"code":"C","scopeList":[{"scopeName":"get_nor_user_info"}]}'`, 'A signed ZJRC call, clientSign included')
      .example('$0 sign zjrc client-sign --data 15dd66eefdb344ada77db82b12690d2f', 'clientSign alone') as unknown as Argv<SignArgs>,
  handler: async (args: ArgumentsCamelCase<SignArgs>) => {
    const signed = await signFromArgs(args);
    process.stdout.write(args.json ? `${JSON.stringify(signed, null, 2)}\n` : text(signed));
  },
};
