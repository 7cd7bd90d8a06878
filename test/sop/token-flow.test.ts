import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { gatewayParams, getCode, HEX32, postGateway, signedNode, tokenBiz, USER } from '../helpers/sop.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const KEY = 'open_auth_token_app_response';

describe('SOP: authorize → open.auth.token.app (code, refresh), signed both ways', () => {
  test('code → token → refresh with exact nodes, field types and verified response signatures', async () => {
    const code = await getCode(t.http);
    expect(code).toMatch(HEX32);

    const tok = await postGateway(t.http, gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'authorization_code', code })));
    expect(tok.status).toBe(200);
    expect(tok.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(Object.keys(tok.body)).toEqual([KEY, 'sign']);
    expect(tok.body).toEqual({
      [KEY]: {
        code: '10000',
        msg: 'Success',
        app_auth_token: expect.stringMatching(HEX32),
        app_refresh_token: expect.stringMatching(HEX32),
        user_id: USER.userId,
        expires_in: -1,
        re_expires_in: -3,
        request_id: expect.stringMatching(HEX32),
      },
      sign: expect.any(String),
    });
    // request_id leads the node, as SOP's gateway writes it; code and msg follow.
    expect(tok.text).toMatch(new RegExp(`^\\{"${KEY}":\\{"request_id":"[0-9a-f]{32}","code":"10000","msg":"Success","app_auth_token":"`));
    expect(signedNode(tok, KEY)).toEqual(tok.body[KEY]);

    const first = tok.body[KEY];
    const ref = await postGateway(
      t.http,
      gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'refresh_token', refresh_token: first.app_refresh_token })),
    );
    expect(ref.body[KEY]).toEqual({
      code: '10000',
      msg: 'Success',
      app_auth_token: expect.stringMatching(HEX32),
      app_refresh_token: expect.stringMatching(HEX32),
      user_id: USER.userId,
      expires_in: -1,
      re_expires_in: -3,
      request_id: expect.stringMatching(HEX32),
    });
    signedNode(ref, KEY);
    expect(ref.body[KEY].app_auth_token).not.toBe(first.app_auth_token);
    expect(ref.body[KEY].app_refresh_token).not.toBe(first.app_refresh_token);
  });

  test('RSA (SHA1withRSA) requests are verified and answered with an RSA signature', async () => {
    const code = await getCode(t.http);
    const res = await postGateway(
      t.http,
      gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'authorization_code', code }), { signType: 'RSA' }),
    );
    expect(res.body[KEY].code).toBe('10000');
    expect(signedNode(res, KEY, 'RSA')).toEqual(res.body[KEY]);
    expect(() => signedNode(res, KEY, 'RSA2')).toThrow('does not verify');
  });

  test('GET with the query, and POST with a JSON body, reach the same gateway', async () => {
    const code = await getCode(t.http);
    const params = gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'authorization_code', code }));
    const get = await t.http.get('/').query(params);
    expect(get.body[KEY]).toMatchObject({ code: '10000', user_id: USER.userId });

    const code2 = await getCode(t.http);
    const json = await t.http
      .post('/api')
      .set('content-type', 'application/json')
      .send(JSON.stringify(gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'authorization_code', code: code2 }))));
    expect(json.body[KEY]).toMatchObject({ code: '10000', user_id: USER.userId });
  });

  test('the flow works under the /sop prefix', async () => {
    const code = await getCode(t.http, '/sop');
    const res = await t.http
      .post('/sop/')
      .type('form')
      .send(new URLSearchParams(gatewayParams('open.auth.token.app', t.sb.clock.now(), tokenBiz({ grant_type: 'authorization_code', code }))).toString());
    expect(res.body[KEY]).toMatchObject({ code: '10000', user_id: USER.userId });
    signedNode(res, KEY);
  });
});
