import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  mantunClientSecret,
  mantunSign,
  mantunTimestamp,
  signSopRequest,
  sopTimestamp,
  usercenterMd5Password,
  usercenterShaPassword,
  zjrcClientSign,
} from '../../src/index.js';
import { needleBody } from '../clients/lib/sdk-multipart.js';
import { freePort } from '../helpers/ports.js';
import { APP as MANTUN_APP, USER as MANTUN_USER, form } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import {
  APP as SOP_APP,
  BUILTIN_SOP,
  USER as SOP_USER,
  REDIRECT_URI as SOP_REDIRECT,
  gatewayParams,
  signedNode,
  sopFixtureFile,
  tokenBiz,
} from '../helpers/sop.js';
import { CLIENT as UC_CLIENT, USER as UC_USER } from '../helpers/usercenter.js';
import { APP as ZJRC_APP, USER as ZJRC_USER, GATEWAY as ZJRC_GATEWAY, M, body as zjrcBody } from '../helpers/zjrc.js';

/**
 * --record: every exchange of every platform's flow, through a forwarding sandbox, against a second sandbox
 * as the real platform. The recording is read as a person (or a tool) would read it: JSON lines. Not one
 * secret the clients sent or received is in it; each is a stand-in of the same shape, the same one wherever
 * the same secret went.
 */

type Pairs = [string, string][];
interface Body {
  json?: unknown;
  form?: Pairs;
  text?: string;
}
interface Line {
  format: string;
  version: number;
  run: string;
  seq: number;
  at: string;
  platform: string;
  endpoint: string;
  apiMethod?: string;
  request: { method: string; path: string; query: Pairs; headers: Pairs; bytes: number; body?: Body };
  response?: { status: number; headers: Pairs; bytes: number; body?: Body };
  upstream: { url: string; durationMs: number; error?: string };
}

const pair = (pairs: Pairs | undefined, name: string) => pairs?.find(([n]) => n === name)?.[1];
const json = (b: Body | undefined) => b?.json as Record<string, unknown>;

/** A stand-in keeps the secret's length and alphabet: hex stays hex (dashes in place), else each character's class. */
function expectStandIn(secret: string, stand: string | undefined): void {
  expect(typeof stand).toBe('string');
  expect(stand).not.toBe(secret);
  expect(stand!.length).toBe(secret.length);
  const cls = (c: string) => (/[0-9]/.test(c) ? 'digit' : /[a-z]/.test(c) ? 'lower' : /[A-Z]/.test(c) ? 'upper' : c);
  if (/^[0-9a-f-]+$/.test(secret)) expect(stand).toMatch(new RegExp(`^${secret.replace(/[0-9a-f]/g, '[0-9a-f]')}$`));
  else if (/^[0-9A-F-]+$/.test(secret)) expect(stand).toMatch(new RegExp(`^${secret.replace(/[0-9A-F]/g, '[0-9A-F]')}$`));
  else expect([...stand!].map(cls)).toEqual([...secret].map(cls));
}

let real: TestSandbox;
let front: TestSandbox;
let file: string;
/** Every secret a client sent or received, and every one the fixtures hold. */
const secrets = new Set<string>([
  MANTUN_APP.appSecret,
  MANTUN_USER.passwd,
  SOP_APP.privateKey,
  SOP_USER.password,
  ZJRC_APP.clientSecret,
  ZJRC_APP.privateKey,
  ZJRC_USER.password,
  UC_USER.password,
  usercenterMd5Password(UC_USER.password),
  usercenterShaPassword(UC_USER.password),
]);
const seen = {} as Record<string, string>;
const keep = (name: string, value: string) => {
  seen[name] = value;
  secrets.add(value);
  return value;
};
let lines: Line[];
const find = (endpoint: string, apiMethod?: string) => lines.filter((l) => l.endpoint === endpoint && (apiMethod === undefined || l.apiMethod === apiMethod));

beforeAll(async () => {
  real = await startTestSandbox({ seed: 'the-real-platform' });
  file = join(mkdtempSync(join(tmpdir(), 'recording-')), 'flows.jsonl');
  front = await startTestSandbox({ upstream: ['mantun', 'usercenter', 'sop', 'zjrc'].map((id) => `${id}=${real.sb.url}`), record: file });
  const http = request(front.sb.url);
  const now = () => real.sb.clock.now();

  // Mantun: code, token, router.as, refresh.
  const authverify = await http
    .post('/oauth/authverify2.as')
    .type('form')
    .send(
      form({ response_type: 'code', client_id: MANTUN_APP.appKey, redirect_uri: MANTUN_APP.redirectUri, uname: MANTUN_USER.uname, passwd: MANTUN_USER.passwd }),
    );
  const code = keep('mantun.code', authverify.body.code);
  const tokenSecret = keep(
    'mantun.client_secret',
    mantunClientSecret(MANTUN_APP.appKey, 'authorization_code', MANTUN_APP.redirectUri, code, MANTUN_APP.appSecret),
  );
  const token = await http
    .post('/oauth/token.as')
    .type('form')
    .send(form({ client_id: MANTUN_APP.appKey, client_secret: tokenSecret, grant_type: 'authorization_code', redirect_uri: MANTUN_APP.redirectUri, code }));
  keep('mantun.accessToken', token.body.data.accessToken);
  keep('mantun.refreshToken', token.body.data.refreshToken);
  const router: Record<string, string> = {
    client_id: MANTUN_APP.appKey,
    method: 'GET_PROJECTS',
    access_token: seen['mantun.accessToken']!,
    timestamp: mantunTimestamp(now()),
  };
  router.sign = keep('mantun.sign', mantunSign(router, MANTUN_APP.appSecret));
  expect((await http.post('/invoke/router.as').type('form').send(form(router))).body.success).toBe(true);
  const refreshSecret = keep(
    'mantun.refresh_secret',
    mantunClientSecret(MANTUN_APP.appKey, 'refresh_token', MANTUN_APP.redirectUri, seen['mantun.refreshToken']!, MANTUN_APP.appSecret),
  );
  const refreshed = await http
    .post('/oauth/refresh.as')
    .type('form')
    .send(
      form({
        client_id: MANTUN_APP.appKey,
        client_secret: refreshSecret,
        grant_type: 'refresh_token',
        redirect_uri: MANTUN_APP.redirectUri,
        refresh_token: seen['mantun.refreshToken']!,
      }),
    );
  keep('mantun.accessToken2', refreshed.body.data.accessToken);
  keep('mantun.refreshToken2', refreshed.body.data.refreshToken);

  // UserCenter: password login, user by token, a validate-code login (its field with the trailing space), refresh after expiry.
  const login = await http.post('/oauth/token').send({
    sysid: UC_CLIENT.sysid,
    username: UC_USER.username,
    client_id: UC_CLIENT.clientId,
    md5password: usercenterMd5Password(UC_USER.password),
    shapassword: usercenterShaPassword(UC_USER.password),
  });
  const result = JSON.parse(login.body.result as string) as { accessToken: string; refreshToken: string; expires_in: string };
  keep('uc.accessToken', result.accessToken);
  keep('uc.refreshToken', result.refreshToken);
  expect((await http.post('/user/getUserByToken').send({ accessToken: result.accessToken })).body.status).toBe(1);
  await http.post('/oauth/token').send({
    sysid: UC_CLIENT.sysid,
    username: UC_USER.username,
    client_id: UC_CLIENT.clientId,
    'validateCode ': keep('uc.validateCode', UC_USER.validateCode),
  });
  const temp = await http.post('/oauth/getTempToken').send({ accessToken: result.accessToken });
  keep('uc.tempToken', temp.body.result);
  real.sb.clock.advance(`${result.expires_in}s`);
  const ucRefresh = await http.post('/oauth/refreshAccessToken').send({ refresh_token: result.refreshToken });
  keep('uc.accessToken2', (JSON.parse(ucRefresh.body.result as string) as { accessToken: string }).accessToken);

  // SOP: the login form's 302, the token call, a refresh.
  const authorize = await http
    .post('/oauth2/authorize')
    .type('form')
    .send(form({ response_type: 'code', client_id: SOP_APP.appId, redirect_uri: SOP_REDIRECT, username: SOP_USER.username, password: SOP_USER.password }));
  const sopCode = keep('sop.code', new URL(authorize.headers.location as string).searchParams.get('code')!);
  const sopToken = gatewayParams('open.auth.token.app', now(), tokenBiz({ grant_type: 'authorization_code', code: sopCode }));
  keep('sop.sign', sopToken.sign!);
  const sopAnswer = await http.post('/').type('form').send(form(sopToken));
  const node = sopAnswer.body.open_auth_token_app_response as Record<string, string>;
  keep('sop.app_auth_token', node.app_auth_token!);
  keep('sop.app_refresh_token', node.app_refresh_token!);
  keep('sop.response_sign', sopAnswer.body.sign);
  const sopRefresh = gatewayParams('open.auth.token.app', now(), tokenBiz({ grant_type: 'refresh_token', refresh_token: node.app_refresh_token! }));
  await http.post('/').type('form').send(form(sopRefresh));
  keep('sop.refresh_sign', sopRefresh.sign!);

  // ZJRC: the authorize page's 302, code → openId and tokens, user info.
  const zAuthorize = await http
    .post('/zjrc/oauth/authorize')
    .type('form')
    .send(new URLSearchParams({ appId: ZJRC_APP.appId, redirectUri: ZJRC_APP.redirectUri, scope: 'get_core_user_info', state: 's1', ...ZJRC_USER }).toString());
  const zCode = keep('zjrc.code', new URL(zAuthorize.headers.location as string).searchParams.get('code')!);
  const clientSign = keep('zjrc.clientSign', zjrcClientSign(zCode, ZJRC_APP.clientSecret));
  const openIdCall = zjrcBody(M.openId, { code: zCode, clientSign }, now());
  keep('zjrc.sign', openIdCall.sign!);
  const zToken = await http.post(ZJRC_GATEWAY).set('content-type', 'application/json').send(JSON.stringify(openIdCall));
  const biz = JSON.parse(zToken.body.bizContent as string) as { openId: string; accessToken: string; refreshToken: string };
  keep('zjrc.accessToken', biz.accessToken);
  keep('zjrc.refreshToken', biz.refreshToken);
  keep('zjrc.response_sign', zToken.body.sign);
  await http
    .post(ZJRC_GATEWAY)
    .set('content-type', 'application/json')
    .send(JSON.stringify(zjrcBody(M.userinfo, { openId: biz.openId, accessToken: biz.accessToken, scopeList: [{ scopeName: 'get_core_user_info' }] }, now())));

  await front.close();
  lines = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
});
afterAll(async () => {
  await real?.close();
});

test('one JSON line per exchange, in order, each naming its format and version', () => {
  expect(lines.map((l) => `${l.platform} ${l.endpoint}${l.apiMethod ? ` ${l.apiMethod}` : ''} ${l.response?.status}`)).toEqual([
    'mantun authverify2.as 200',
    'mantun token.as 200',
    'mantun router.as GET_PROJECTS 200',
    'mantun refresh.as 200',
    'usercenter token 200',
    'usercenter getUserByToken 200',
    'usercenter token 200',
    'usercenter getTempToken 200',
    'usercenter refreshAccessToken 200',
    'sop authorize 302',
    'sop gateway open.auth.token.app 200',
    'sop gateway open.auth.token.app 200',
    'zjrc authorize.login 302',
    `zjrc gateway.do ${M.openId} 200`,
    `zjrc gateway.do ${M.userinfo} 200`,
  ]);
  const run = lines[0]!.run;
  lines.forEach((l, i) => {
    expect([l.format, l.version, l.run, l.seq]).toEqual(['sandbox-recording', 1, run, i + 1]);
    expect(new Date(l.at).toISOString()).toBe(l.at);
    expect(l.upstream.url.startsWith(real.sb.url.replace(/\/$/, ''))).toBe(true);
  });
});

test('not one secret is in the recording, in any spelling', () => {
  const text = readFileSync(file, 'utf8');
  expect(secrets.size).toBeGreaterThan(30);
  for (const secret of secrets) {
    expect({ secret, found: text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1)) }).toEqual({ secret, found: false });
  }
});

test('Mantun: passwd, client_secret, sign, code and tokens are stand-ins of their shape; a token reads the same where it goes next', () => {
  const [verify] = find('authverify2.as');
  expectStandIn(MANTUN_USER.passwd, pair(verify!.request.body?.form, 'passwd'));
  const code = json(verify!.response!.body).code as string;
  expectStandIn(seen['mantun.code']!, code);
  const [token] = find('token.as');
  expect(pair(token!.request.body?.form, 'code')).toBe(code);
  expectStandIn(seen['mantun.client_secret']!, pair(token!.request.body?.form, 'client_secret'));
  const data = json(token!.response!.body).data as Record<string, string>;
  expectStandIn(seen['mantun.accessToken']!, data.accessToken);
  expectStandIn(seen['mantun.refreshToken']!, data.refreshToken);
  // Status codes are not secrets: "0" stays.
  expect(json(token!.response!.body).code).toBe('0');
  const [router] = find('router.as');
  expect(pair(router!.request.body?.form, 'access_token')).toBe(data.accessToken);
  expectStandIn(seen['mantun.sign']!, pair(router!.request.body?.form, 'sign'));
  const [refresh] = find('refresh.as');
  expect(pair(refresh!.request.body?.form, 'refresh_token')).toBe(data.refreshToken);
  expectStandIn(seen['mantun.refresh_secret']!, pair(refresh!.request.body?.form, 'client_secret'));
  expectStandIn(seen['mantun.accessToken2']!, (json(refresh!.response!.body).data as Record<string, string>).accessToken);
});

test('UserCenter: md5password, shapassword, validateCode, tokens inside the result text, and the temp token', () => {
  const [login, byCode] = find('token');
  const sent = json(login!.request.body);
  expectStandIn(usercenterMd5Password(UC_USER.password), sent.md5password as string);
  expectStandIn(usercenterShaPassword(UC_USER.password), sent.shapassword as string);
  const result = JSON.parse(json(login!.response!.body).result as string) as Record<string, string>;
  expectStandIn(seen['uc.accessToken']!, result.accessToken);
  expectStandIn(seen['uc.refreshToken']!, result.refreshToken);
  expect(result.expires_in).toBe('86400');
  expect(json(find('getUserByToken')[0]!.request.body).accessToken).toBe(result.accessToken);
  expectStandIn(UC_USER.validateCode, json(byCode!.request.body)['validateCode '] as string);
  expectStandIn(seen['uc.tempToken']!, json(find('getTempToken')[0]!.response!.body).result as string);
  const [refresh] = find('refreshAccessToken');
  expect(json(refresh!.request.body).refresh_token).toBe(result.refreshToken);
  expectStandIn(seen['uc.accessToken2']!, (JSON.parse(json(refresh!.response!.body).result as string) as Record<string, string>).accessToken);
});

test('SOP: the login password, the code in the redirect, request and answer signatures, both tokens', () => {
  const [authorize] = find('authorize').filter((l) => l.platform === 'sop');
  expectStandIn(SOP_USER.password, pair(authorize!.request.body?.form, 'password'));
  const location = pair(authorize!.response!.headers, 'location') ?? pair(authorize!.response!.headers, 'Location');
  const code = new URL(location!).searchParams.get('code')!;
  expectStandIn(seen['sop.code']!, code);
  const [token, refresh] = find('gateway', 'open.auth.token.app');
  const biz = JSON.parse(pair(token!.request.body?.form, 'biz_content')!) as Record<string, string>;
  expect(biz).toEqual({ grant_type: 'authorization_code', code });
  expectStandIn(seen['sop.sign']!, pair(token!.request.body?.form, 'sign'));
  const answer = json(token!.response!.body);
  const node = answer.open_auth_token_app_response as Record<string, string>;
  expectStandIn(seen['sop.app_auth_token']!, node.app_auth_token);
  expectStandIn(seen['sop.app_refresh_token']!, node.app_refresh_token);
  expect(node.code).toBe('10000');
  expectStandIn(seen['sop.response_sign']!, answer.sign as string);
  expect(JSON.parse(pair(refresh!.request.body?.form, 'biz_content')!)).toEqual({ grant_type: 'refresh_token', refresh_token: node.app_refresh_token });
  expectStandIn(seen['sop.refresh_sign']!, pair(refresh!.request.body?.form, 'sign'));
});

test('ZJRC: the login password, the code, clientSign, both signatures, and the tokens inside bizContent', () => {
  const [authorize] = find('authorize.login');
  expectStandIn(ZJRC_USER.password, pair(authorize!.request.body?.form, 'password'));
  const code = new URL(pair(authorize!.response!.headers, 'location') ?? pair(authorize!.response!.headers, 'Location')!).searchParams.get('code')!;
  expectStandIn(seen['zjrc.code']!, code);
  const [openId, userinfo] = find('gateway.do');
  const sent = json(openId!.request.body);
  const bizIn = JSON.parse(sent.bizContent as string) as Record<string, string>;
  expect(bizIn.code).toBe(code);
  expectStandIn(seen['zjrc.clientSign']!, bizIn.clientSign);
  expectStandIn(seen['zjrc.sign']!, sent.sign as string);
  const answer = json(openId!.response!.body);
  expect(answer.code).toBe('000000');
  const bizOut = JSON.parse(answer.bizContent as string) as Record<string, string>;
  expectStandIn(seen['zjrc.accessToken']!, bizOut.accessToken);
  expectStandIn(seen['zjrc.refreshToken']!, bizOut.refreshToken);
  expectStandIn(seen['zjrc.response_sign']!, answer.sign as string);
  expect((JSON.parse(json(userinfo!.request.body).bizContent as string) as Record<string, string>).accessToken).toBe(bizOut.accessToken);
});

describe('what a recording shows of an upload and of a failure', () => {
  const readLines = (path: string) =>
    readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Line & { request: { body?: { multipart?: { fields: Pairs; files: unknown[] } } } });

  test('an SDK file upload: its fields masked by name, its file by name, size and MD5 only; the client gets the real answer', async () => {
    const upload = { name: 'sandbox.file.upload', version: '1.0', files: [{ name: 'file' }], response: { file_id: 'F0001' } };
    const platform = await startTestSandbox({ fixtures: [sopFixtureFile({ methods: [...BUILTIN_SOP.methods, upload] })] });
    const path = join(mkdtempSync(join(tmpdir(), 'recording-')), 'upload.jsonl');
    const forwarding = await startTestSandbox({ upstream: [`sop=${platform.sb.url}`], record: path });
    try {
      const bytes = Buffer.from('line one\r\n\u0000\u00ff binary tail', 'latin1');
      const params = signSopRequest(
        {
          app_id: SOP_APP.appId,
          method: upload.name,
          charset: 'UTF-8',
          sign_type: 'RSA2',
          timestamp: sopTimestamp(platform.sb.clock.now()),
          version: '1.0',
          biz_content: '{"remark":"季度报告"}',
        },
        SOP_APP.privateKey,
      );
      const multipart = needleBody(params, [{ field: 'file', filename: '报告.txt', bytes }]);
      const res = await request(forwarding.sb.url).post('/').set('content-type', multipart.contentType).send(multipart.body);
      expect(signedNode(res, 'sandbox_file_upload_response')).toMatchObject({ code: '10000', file_id: 'F0001' });
      await forwarding.close();
      const [line] = readLines(path);
      const form = line!.request.body!.multipart!;
      expectStandIn(params.sign!, pair(form.fields, 'sign'));
      expect(pair(form.fields, 'biz_content')).toBe('{"remark":"季度报告"}');
      expect(form.files).toEqual([
        {
          name: 'file',
          filename: encodeURIComponent('报告.txt'),
          contentType: 'application/octet-stream',
          bytes: bytes.length,
          md5: createHash('md5').update(bytes).digest('hex'),
        },
      ]);
      expect(line!.request.bytes).toBe(multipart.body.length);
      expect(readFileSync(path, 'utf8')).not.toContain(params.sign);
    } finally {
      await forwarding.close();
      await platform.close();
    }
  });

  test('an upstream that refused: the request, no response, and why', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'recording-')), 'refused.jsonl');
    const port = await freePort();
    const forwarding = await startTestSandbox({ upstream: [`mantun=http://127.0.0.1:${port}`], record: path });
    await request(forwarding.sb.url)
      .post('/oauth/authverify2.as')
      .type('form')
      .send(form({ uname: MANTUN_USER.uname, passwd: MANTUN_USER.passwd }));
    await forwarding.close();
    const [line] = readLines(path);
    expect(line!.response).toBeUndefined();
    expect(line!.upstream.error).toMatch(new RegExp(`^refused: http://127\\.0\\.0\\.1:${port}/oauth/authverify2\\.as: the connection was refused`));
    expectStandIn(MANTUN_USER.passwd, pair(line!.request.body?.form, 'passwd'));
  });
});
