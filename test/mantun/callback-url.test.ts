import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, form, USER } from '../helpers/mantun.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const TEXT = 'OAuth callback url needs to be provided!';

/** Params that would otherwise be accepted, so only the callback-url rule can fail them. */
const VALID: Record<string, Record<string, string>> = {
  '/oauth/authverify2.as': { response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: USER.passwd },
  '/oauth/token.as': { client_id: APP.appKey, client_secret: 'x', grant_type: 'authorization_code', redirect_uri: APP.redirectUri, code: 'x' },
  '/oauth/refresh.as': { client_id: APP.appKey, client_secret: 'x', grant_type: 'refresh_token', redirect_uri: APP.redirectUri, refresh_token: 'x' },
};
const ENDPOINTS = Object.keys(VALID);

function expectCallbackError(res: { status: number; text: string; headers: Record<string, string> }) {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toBe('text/plain;charset=UTF-8');
  expect(res.text).toBe(TEXT);
}

describe.each(ENDPOINTS)('%s answers the callback-url error', (path) => {
  test('when the body is JSON (even with every param present)', async () => {
    expectCallbackError(await t.http.post(path).set('content-type', 'application/json').send(JSON.stringify(VALID[path])));
  });

  test('when the body is JSON sent with the form Content-Type', async () => {
    expectCallbackError(await t.http.post(path).set('content-type', 'application/x-www-form-urlencoded').send(JSON.stringify(VALID[path])));
  });

  test('when the Content-Type is not application/x-www-form-urlencoded', async () => {
    expectCallbackError(await t.http.post(path).set('content-type', 'text/plain').send(form(VALID[path])));
    expectCallbackError(await t.http.post(path).set('content-type', 'multipart/form-data; boundary=x').send(form(VALID[path])));
  });

  test('when there is no Content-Type and no body', async () => {
    expectCallbackError(await t.http.post(path));
  });

  test('when redirect_uri is missing', async () => {
    const { redirect_uri: _omit, ...rest } = VALID[path];
    expectCallbackError(await t.http.post(path).type('form').send(form(rest)));
  });

  test('when redirect_uri is empty', async () => {
    expectCallbackError(
      await t.http
        .post(path)
        .type('form')
        .send(form({ ...VALID[path], redirect_uri: '' })),
    );
  });

  test('but not for a form post with redirect_uri (charset parameter allowed)', async () => {
    const res = await t.http.post(path).set('content-type', 'application/x-www-form-urlencoded; charset=UTF-8').send(form(VALID[path]));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
  });
});

describe('the callback-url answer is a fixture choice', () => {
  let custom: TestSandbox;
  beforeAll(async () => {
    custom = await startTestSandbox({ fixtures: [new URL('../fixtures/mantun-callback-302.json', import.meta.url).pathname] });
  });
  afterAll(() => custom.close());

  test('a fixture can make it a 302 with a Location', async () => {
    const res = await custom.http.post('/oauth/token.as').set('content-type', 'application/json').send('{}');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('http://you-domain/error');
    expect(res.text).toBe(TEXT);
  });
});
