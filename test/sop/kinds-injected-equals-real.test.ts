import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, form, gatewayParams, postGateway, REDIRECT_URI, signedNode, sopFixtureFile, tokenBiz, USER } from '../helpers/sop.js';

/**
 * open.auth.token.app's OAuth errors and the login page's invalid_client are catalogue kinds a fixture may
 * override: the override changes the real answer, and a fault rule asking for the kind answers the same.
 */
let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({
    fixtures: [
      sopFixtureFile({
        errors: { invalid_grant: { error_description: 'grant type not supported' }, invalid_client: { status: 401, error_description: 'no such client' } },
      }),
    ],
  });
});
afterAll(() => t.close());

const KEY = 'open_auth_token_app_response';
const tokenApp = (biz: Record<string, string>) => postGateway(t.http, gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz(biz)));
const arm = (rule: object) =>
  t.http
    .post('/__sandbox/faults')
    .send({ platform: 'sop', first: 1, ...rule })
    .expect(201);
const lastEntry = async () => (await t.http.get('/__sandbox/requests?limit=1')).body.requests[0];
/** The node without its request_id, which every answer draws anew. */
const node = (res: Parameters<typeof signedNode>[0]) => {
  const { request_id, ...rest } = signedNode(res, KEY);
  expect(request_id).toMatch(/^[0-9a-f]{32}$/);
  return rest;
};

test("invalid_grant: the fixture's error_description, real and injected, signed alike", async () => {
  const real = await tokenApp({ grant_type: 'client_credentials' });
  expect([real.status, node(real)]).toEqual([
    200,
    { code: '10000', msg: 'Success', error: 'invalid_grant', error_description: 'grant type not supported', expires_in: -1, re_expires_in: -1 },
  ]);

  await arm({ id: 'token-grant', method: 'open.auth.token.app', respond: { error: 'invalid_grant' } });
  const injected = await tokenApp({ grant_type: 'authorization_code', code: 'whatever' });
  expect([injected.status, node(injected)]).toEqual([real.status, node(real)]);
  // Field for field in the same order: the signed text differs only by the request_id.
  const withoutId = (text: string) => text.replace(/"request_id":"[0-9a-f]{32}",/, '').replace(/"sign":"[^"]+"/, '');
  expect(withoutId(injected.text)).toBe(withoutId(real.text));
  expect(await lastEntry()).toMatchObject({ endpoint: 'gateway', apiMethod: 'open.auth.token.app', status: 200, rule: 'token-grant' });
});

test("invalid_client: the fixture's status and error_description on the login post, real and injected byte for byte", async () => {
  const post = (clientId: string) =>
    t.http
      .post('/oauth2/authorize')
      .type('form')
      .send(form({ client_id: clientId, redirect_uri: REDIRECT_URI, response_type: 'code', username: USER.username, password: USER.password }));
  const real = await post('2000000000000000');
  expect([real.status, real.text]).toEqual([401, '{"error":"invalid_client","error_description":"no such client"}']);

  await arm({ id: 'page-client', endpoint: 'authorize', respond: { error: 'invalid_client' } });
  const injected = await post(APP.appId);
  expect([injected.status, injected.headers['content-type'], injected.text]).toEqual([real.status, real.headers['content-type'], real.text]);
  expect(await lastEntry()).toMatchObject({ endpoint: 'authorize', status: 401, rule: 'page-client' });
  expect((await post(APP.appId)).status).toBe(302);
});
