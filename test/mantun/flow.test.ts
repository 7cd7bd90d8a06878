import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, form, getCode, MAC, PROJECT, refreshParams, routerParams, tokenParams } from '../helpers/mantun.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const HEX32 = /^[0-9a-f]{32}$/;

describe('Mantun end-to-end flow with the seed parameters', () => {
  test('authverify2.as → token.as → router.as → refresh.as, with exact field types', async () => {
    const auth = await t.http
      .post('/oauth/authverify2.as')
      .type('form')
      .send(form({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: '13800000000', passwd: 'sandbox123' }));
    expect(auth.status).toBe(200);
    expect(auth.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(Object.keys(auth.body).sort()).toEqual(['code', 'success']);
    expect(auth.body.success).toBe('true');
    expect(auth.body.code).toMatch(HEX32);

    const tok = await t.http
      .post('/oauth/token.as')
      .type('form')
      .send(form({ ...tokenParams(auth.body.code), response_type: 'code' }));
    expect(tok.status).toBe(200);
    expect(tok.body).toEqual({
      data: { tokenType: 'Bearer', accessToken: expect.stringMatching(HEX32), expiresIn: 3600, refreshToken: expect.stringMatching(HEX32) },
      success: true,
      code: '0',
    });
    expect(tok.text.startsWith('{"data":{"tokenType":"Bearer","accessToken":"')).toBe(true);

    const boxes = await t.http
      .post('/invoke/router.as')
      .type('form')
      .send(form(routerParams(tok.body.data.accessToken, 'GET_BOXES', t.sb.clock.now(), { projectCode: PROJECT })));
    expect(boxes.body).toEqual({
      success: true,
      code: '0',
      data: [
        { mac: MAC, name: 'Workshop distribution box', phone: '13800000000' },
        { mac: '187ED5310B3D', name: 'Office box', phone: '13800000001' },
      ],
    });

    const ref = await t.http
      .post('/oauth/refresh.as')
      .type('form')
      .send(form(refreshParams(tok.body.data.refreshToken)));
    expect(ref.body).toEqual({
      data: { tokenType: 'Bearer', accessToken: expect.stringMatching(HEX32), expiresIn: 3600, refreshToken: expect.stringMatching(HEX32) },
      success: true,
      code: '0',
    });
    expect(ref.body.data.accessToken).not.toBe(tok.body.data.accessToken);
    expect(ref.body.data.refreshToken).not.toBe(tok.body.data.refreshToken);
  });

  test.each(['/mantun', '/ebx-rook', '/mantun/ebx-rook'])('the flow works under the %s prefix too', async (prefix) => {
    const code = await getCode(t.http, prefix);
    const tok = await t.http
      .post(`${prefix}/oauth/token.as`)
      .type('form')
      .send(form(tokenParams(code)));
    expect(tok.body.success).toBe(true);
    const info = await t.http
      .post(`${prefix}/invoke/router.as`)
      .type('form')
      .send(form(routerParams(tok.body.data.accessToken, 'GET_PROJECT_INFO', t.sb.clock.now(), { projectCode: PROJECT })));
    expect(info.body).toEqual({ success: true, code: '0', data: { projectCode: PROJECT, projectName: 'Sandbox demo project' } });
  });
});
