import { mantunClientSecret, mantunSign, mantunTimestamp, usercenterMd5Password, usercenterShaPassword, zjrcClientSign } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP as M_APP, form, getCode as mantunCode, tokenParams, USER as M_USER } from '../helpers/mantun.js';
import { CLIENT as U_CLIENT, passwordBody, USER as U_USER } from '../helpers/usercenter.js';
import { APP as S_APP, gatewayParams, getCode as sopCode, postGateway, REDIRECT_URI as S_REDIRECT, tokenBiz } from '../helpers/sop.js';
import { APP as Z_APP, authorize as zjrcCode, BUILTIN as Z_BUILTIN, body as zjrcBody, call as zjrcCall, GATEWAY, M } from '../helpers/zjrc.js';

/**
 * Every secret a client sends (passwords, app secrets, derived client secrets, signatures, password
 * hashes, validate codes) is masked in the journal, whatever way it came: form, JSON, query string, a
 * body the platform refused, JSON inside a field, an echo in an error message. Tokens stay visible.
 */
let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());
beforeEach(() => t.sb.sandbox.journal.clear());

/** The journal as the dashboard and API users read it. */
async function journal(): Promise<{ text: string; entries: Record<string, any>[] }> {
  const res = await t.http.get('/__sandbox/requests?limit=1000');
  expect(res.status).toBe(200);
  return { text: res.text, entries: res.body.requests };
}

function expectAbsent(text: string, secrets: string[]): void {
  for (const s of secrets) expect({ secret: s, found: text.includes(s) }).toEqual({ secret: s, found: false });
}

test('Mantun: passwd, client_secret and sign, in forms, JSON, query strings and refused bodies', async () => {
  const code = await mantunCode(t.http);
  const secret = mantunClientSecret(M_APP.appKey, 'authorization_code', M_APP.redirectUri, code, M_APP.appSecret);
  const token = await t.http
    .post('/oauth/token.as')
    .type('form')
    .send(form(tokenParams(code)));
  expect(token.body.success).toBe(true);
  const router: Record<string, string> = {
    client_id: M_APP.appKey,
    method: 'GET_PROJECTS',
    access_token: token.body.data.accessToken,
    timestamp: mantunTimestamp(t.sb.clock.now()),
  };
  router.sign = mantunSign(router, M_APP.appSecret);
  await t.http.post('/invoke/router.as').type('form').send(form(router));
  await t.http
    .post('/oauth/authverify2.as?passwd=mq-passwd-query')
    .type('form')
    .send(form({ response_type: 'code', client_id: M_APP.appKey, redirect_uri: M_APP.redirectUri, uname: M_USER.uname, passwd: 'mq-passwd-form' }));
  // Refused before any param is read (the callback-url rule): the raw body is what the journal keeps.
  await t.http
    .post('/oauth/authverify2.as')
    .set('content-type', 'application/json')
    .send(JSON.stringify({ uname: M_USER.uname, passwd: 'mq-passwd-json' }));
  await t.http.post('/oauth/token.as').set('content-type', 'text/plain').send(`client_id=${M_APP.appKey}&client_secret=mq-secret-text&code=x`);

  const { text, entries } = await journal();
  expect(entries).toHaveLength(6);
  expectAbsent(text, [M_USER.passwd, secret, router.sign, M_APP.appSecret, 'mq-passwd-query', 'mq-passwd-form', 'mq-passwd-json', 'mq-secret-text']);
  const byEndpoint = (name: string) => entries.filter((e) => e.endpoint === name);
  expect(byEndpoint('token.as').map((e) => e.request.body)).toEqual([
    `client_id=${M_APP.appKey}&client_secret=***&code=x`,
    expect.objectContaining({ client_secret: '***', code }),
  ]);
  expect(byEndpoint('router.as')[0].request.body).toEqual({ ...router, sign: '***' });
  const auth = byEndpoint('authverify2.as');
  expect(auth[0].request.body).toBe(`{"uname":"${M_USER.uname}","passwd":"***"}`);
  expect(auth[1].request.query).toEqual({ passwd: '***' });
  expect(auth[1].request.body.passwd).toBe('***');
});

test('UserCenter: md5password, shapassword and validateCode (both spellings), in JSON, forms and a refused body', async () => {
  const md5 = usercenterMd5Password(U_USER.password);
  const sha = usercenterShaPassword(U_USER.password);
  const ok = await t.http.post('/oauth/token').send(passwordBody());
  expect(ok.body.status).toBe(1);
  await t.http.post('/oauth/token').send({ sysid: U_CLIENT.sysid, username: U_USER.username, client_id: U_CLIENT.clientId, 'validateCode ': 'uc-vcode-space' });
  await t.http
    .post('/cas/oauth/token')
    .type('form')
    .send(form({ username: U_USER.username, client_id: U_CLIENT.clientId, validateCode: 'uc-vcode-form' }));
  await t.http.post('/oauth/token').set('content-type', 'text/plain').send('md5password: uc-md5-text');
  await t.http.post('/oauth/token').set('content-type', 'application/json').send('{"md5password":"uc-md5-broken",');

  const { text, entries } = await journal();
  expect(entries).toHaveLength(5);
  expectAbsent(text, [md5, sha, md5.toUpperCase(), 'uc-vcode-space', 'uc-vcode-form', 'uc-md5-broken']);
  const login = entries[4].request.body;
  expect(login).toEqual({ sysid: U_CLIENT.sysid, username: U_USER.username, client_id: U_CLIENT.clientId, md5password: '***', shapassword: '***' });
  expect(entries[3].request.body['validateCode ']).toBe('***');
  expect(entries[2].request.body.validateCode).toBe('***');
  expect(entries[0].request.body).toBe('{"md5password":"***",');
  // A text that is neither a form nor JSON is kept as sent: nothing in it is named as a secret field.
  expect(entries[1].request.body).toBe('md5password: uc-md5-text');
});

test('SOP: the login password and request signatures (form, JSON, query), the private keys never', async () => {
  const code = await sopCode(t.http);
  const signed = gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'authorization_code', code }));
  await postGateway(t.http, signed);
  await t.http
    .post('/gateway.do')
    .set('content-type', 'application/json')
    .send(JSON.stringify({ ...signed, sign: 'sop-sign-json' }));
  await t.http.get(`/?${form({ ...signed, sign: 'sop-sign-query' })}`);
  await t.http
    .post('/oauth2/authorize')
    .type('form')
    .send(form({ response_type: 'code', client_id: S_APP.appId, redirect_uri: S_REDIRECT, username: 'sandbox', password: 'sop-wrong-password' }));

  const { text, entries } = await journal();
  expect(entries).toHaveLength(5);
  expectAbsent(text, ['sandbox123', 'sop-wrong-password', signed.sign, 'sop-sign-json', 'sop-sign-query', S_APP.privateKey.slice(0, 64)]);
  expect(entries[0].request.body).toMatchObject({ username: 'sandbox', password: '***' });
  expect(entries[1].request.query).toMatchObject({ sign: '***', app_id: S_APP.appId });
  expect(entries[3].request.body).toMatchObject({ sign: '***', biz_content: JSON.stringify({ grant_type: 'authorization_code', code }) });
});

test('ZJRC: the login password, sign and clientSign (in a bizContent string, a nested object, a form, an error message that quotes the signed text)', async () => {
  const clientSecret = Z_APP.clientSecret;
  const code = await zjrcCode(t.http);
  const realClientSign = zjrcClientSign(code, clientSecret);
  const ok = zjrcBody(M.openId, { code, clientSign: realClientSign }, t.sb.clock.now());
  expect((await zjrcCall(t.http, ok)).body.bizCode).toBe('0');
  // A bad signature: the error message quotes the text it verified, clientSign included.
  await zjrcCall(t.http, { ...zjrcBody(M.openId, { code: 'x', clientSign: 'zj-clientsign-echo' }, t.sb.clock.now()), sign: 'zj-sign-bad' });
  await zjrcCall(t.http, { ...ok, bizContent: { code: 'y', clientSign: 'zj-clientsign-nested' } });
  await t.http
    .post(GATEWAY)
    .type('form')
    .send(form({ ...ok, bizContent: JSON.stringify({ code: 'z', clientSign: 'zj-clientsign-form' }) }));
  await t.http
    .post('/zjrc/oauth/authorize')
    .type('form')
    .send(form({ appId: Z_APP.appId, redirectUri: Z_APP.redirectUri, username: '13900000000', password: 'zj-wrong-password' }));

  const { text, entries } = await journal();
  expect(entries).toHaveLength(6);
  expectAbsent(text, [
    'sandbox123',
    'zj-wrong-password',
    realClientSign,
    ok.sign,
    'zj-sign-bad',
    'zj-clientsign-echo',
    'zj-clientsign-nested',
    'zj-clientsign-form',
    clientSecret,
    Z_BUILTIN.zjrc.apps[0].privateKey.slice(0, 64),
  ]);
  expect(entries[0].request.body).toMatchObject({ username: '13900000000', password: '***' });
  // bizContent is journaled as the object it holds, whatever the answer was.
  expect(entries.slice(1, 4).map((e) => [e.request.body.bizContent, e.request.body.sign])).toEqual([
    [{ code: 'z', clientSign: '***' }, '***'],
    [{ code: 'y', clientSign: '***' }, '***'],
    [{ code: 'x', clientSign: '***' }, '***'],
  ]);
  expect(entries[3].response.body.msg).toContain('of the text "appId=ZJRC0000000001&bizContent={"code":"x","clientSign":"***"}&method=');
  expect(entries[4].request.body.bizContent).toEqual({ code, clientSign: '***' });
});

test('a journaled request is bounded: long values are cut, wide bodies summarised', async () => {
  const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field${i}`, 'v']));
  await t.http.post('/oauth/token').send({ username: 'x'.repeat(200_000), ...wide });
  const { entries } = await journal();
  const body = entries[0].request.body as Record<string, string>;
  expect(Object.keys(body)).toHaveLength(65);
  expect(body.username).toBe(`${'x'.repeat(4096)}… (200000 characters)`);
  expect(body['…']).toBe('437 more fields');
  expect(JSON.stringify(entries[0]).length).toBeLessThan(40_000);
});
