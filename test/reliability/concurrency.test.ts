import { postOnce } from '../helpers/http-post.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { APP, form, getTokens, refreshParams, tokenParams, USER } from '../helpers/mantun.js';
import { closeAgent, sendRaw } from './fuzz-http.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  closeAgent();
  await t.close();
});

async function post(path: string, params: Record<string, string>): Promise<Record<string, any>> {
  const res = await postOnce(`${t.sb.url}${path}`, form(params), 'application/x-www-form-urlencoded');
  return JSON.parse(res.text) as Record<string, any>;
}

describe('concurrency on the shared token lifecycle', () => {
  test('1 000 concurrent exchanges of distinct codes: all succeed, no token issued twice', async () => {
    // The codes come over pooled keep-alive connections (a new one for each cost twice the CPU); the exchanges
    // that race below keep a connection of their own.
    const authorize = Buffer.from(
      form({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: USER.uname, passwd: USER.passwd }),
    );
    const codes = await Promise.all(
      Array.from({ length: 1000 }, async () => {
        const res = await sendRaw(
          t.sb.url,
          { method: 'POST', path: '/oauth/authverify2.as', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: authorize },
          60_000,
        );
        return (JSON.parse(res.text) as { code: string }).code;
      }),
    );
    expect(new Set(codes).size).toBe(1000);
    const results = await Promise.all(codes.map((code) => post('/oauth/token.as', tokenParams(code))));
    expect(results.filter((r) => r.success !== true)).toEqual([]);
    const access = new Set(results.map((r) => r.data.accessToken));
    const refresh = new Set(results.map((r) => r.data.refreshToken));
    expect(access.size).toBe(1000);
    expect(refresh.size).toBe(1000);
  }, 60_000);

  test('100 concurrent refreshes of one refresh token under single-use rotation: exactly one success', async () => {
    const { refreshToken } = await getTokens(t.http);
    const results = await Promise.all(Array.from({ length: 100 }, () => post('/oauth/refresh.as', refreshParams(refreshToken))));
    expect(results.filter((r) => r.success === true)).toHaveLength(1);
    expect(results.filter((r) => r.code === '10021')).toHaveLength(99);
  });
});
