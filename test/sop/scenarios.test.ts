import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, form, gatewayParams, getCode, HEX32, postGateway, REDIRECT_URI, signedNode, tokenBiz, USER } from '../helpers/sop.js';

let t: TestSandbox | undefined;
afterEach(() => t?.close());

const exchange = (sandbox: TestSandbox, code: string) =>
  postGateway(sandbox.http, gatewayParams('open.auth.token.app', sandbox.sb.clock.now(), tokenBiz({ grant_type: 'authorization_code', code })));

describe('scenarios reach SOP', () => {
  test('the built-in code-reuse-allowed scenario lets a code be exchanged twice', async () => {
    t = await startTestSandbox({ scenario: 'code-reuse-allowed' });
    const code = await getCode(t.http);
    expect((await exchange(t, code)).body.open_auth_token_app_response.code).toBe('10000');
    expect((await exchange(t, code)).body.open_auth_token_app_response).toMatchObject({ code: '10000', app_auth_token: expect.stringMatching(HEX32) });
  });

  test('a fault rule by gateway method answers a token error, signed, in the method node', async () => {
    t = await startTestSandbox({ scenario: { faults: [{ id: 'bad-code', platform: 'sop', method: 'open.auth.token.app', respond: { error: 'invalid_request' } }] } });
    const res = await exchange(t, await getCode(t.http));
    // The same answer the method gives for a bad code: a routed answer, request_id included.
    expect(res.body).toEqual({ open_auth_token_app_response: { code: '10000', msg: 'Success', error: 'invalid_request', error_description: 'invalid request', request_id: expect.stringMatching(/^[0-9a-f]{32}$/) }, sign: expect.any(String) });
    signedNode(res, 'open_auth_token_app_response');
  });

  test('a fault rule tagged "signed" answers a gateway error in the node of the method called (as the gateway does); the login page is untouched', async () => {
    t = await startTestSandbox({ scenario: { faults: [{ id: 'bad-sign', tag: 'signed', respond: { error: { sop: 'isv.invalid-signature' } } }] } });
    const code = await getCode(t.http);
    const res = await exchange(t, code);
    expect(res.body).toEqual({ open_auth_token_app_response: { code: '40002', msg: '非法的参数', sub_code: 'isv.invalid-signature', sub_msg: '无效签名' }, sign: expect.any(String) });
    signedNode(res, 'open_auth_token_app_response');
  });

  test('a fault rule tagged "authorize" can answer invalid_client on the login form', async () => {
    t = await startTestSandbox({ scenario: { faults: [{ id: 'no-client', platform: 'sop', tag: 'authorize', respond: { error: 'invalid_client' } }] } });
    const res = await t.http.post('/oauth2/authorize').type('form').send(form({ response_type: 'code', client_id: APP.appId, redirect_uri: REDIRECT_URI, username: USER.username, password: USER.password }));
    expect(res.status).toBe(400);
    expect(res.text).toBe('{"error":"invalid_client","error_description":"invalid_client"}');
  });
});
